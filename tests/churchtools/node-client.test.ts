/** The Node client keeps one connection pool and the session cookie for its whole life. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '../../dev/standin/server.ts';
import { createNodeClient } from '../../src/churchtools/node-client.ts';

let standIn: StandIn;

beforeAll(async () => {
  standIn = await startStandIn();
});
afterAll(async () => {
  await standIn.close();
});

describe('Node ChurchTools client', () => {
  it('sends 100 sequential requests over one kept-alive connection and one login', async () => {
    const client = createNodeClient(standIn.url, standIn.admin.loginToken, { personId: standIn.admin.personId });
    const before = standIn.connectionsOpened();
    standIn.resetRequests();
    for (let i = 0; i < 100; i++) await client.get('/persons', { limit: 1 });
    expect(standIn.connectionsOpened() - before).toBe(1);
    // One token login (the first 401), then the cookie carries the session.
    expect(standIn.requests.filter((r) => r.path === '/whoami').length).toBeLessThanOrEqual(1);
    expect(standIn.requests.filter((r) => r.path === '/persons' && r.status === 200)).toHaveLength(100);
  });

  it('opens no more connections than requests in flight', async () => {
    const client = createNodeClient(standIn.url, standIn.admin.loginToken, { personId: standIn.admin.personId });
    await client.get('/whoami');
    const before = standIn.connectionsOpened();
    for (let round = 0; round < 20; round++) {
      await Promise.all([client.get('/persons', { limit: 1 }), client.get('/persons', { limit: 1 }), client.get('/persons', { limit: 1 })]);
    }
    expect(standIn.connectionsOpened() - before).toBeLessThanOrEqual(3);
  });
});
