/**
 * Kept-alive connections that ChurchTools closes while they are idle (issue 12's bench at
 * 150,000 bookings: a first sync failed with "socket hang up" on the POST after its plan kept
 * the event loop busy for longer than the server keeps an idle connection open). Over real HTTP:
 * the real client, the stand-in behind a proxy whose keep-alive is short.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startStandIn, type StandIn } from '../../dev/standin/server.ts';
import { CtHttp } from '../../src/churchtools/http/ct-http.ts';
import { createNodeClient } from '../../src/churchtools/node-client.ts';
import { ctPersonSchema } from '../../src/churchtools/persons/person-fields.ts';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.ts';
import { FAST_HTTP } from './helpers.ts';

let standIn: StandIn | undefined;
let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await standIn?.close();
  proxy = undefined;
  standIn = undefined;
});

async function connected(keepAliveTimeoutMs: number): Promise<{ http: CtHttp; proxy: FaultProxy; standIn: StandIn }> {
  standIn = await startStandIn();
  proxy = await startFaultProxy(standIn.url, { keepAliveTimeoutMs });
  const client = createNodeClient(proxy.url, standIn.admin.loginToken);
  await client.loginWithToken(standIn.admin.loginToken);
  return { http: new CtHttp(client, FAST_HTTP), proxy, standIn };
}

/** Keeps the event loop busy, as planning 30,000 records does. */
function busyFor(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // spin
  }
}

const whoami = z.looseObject({ id: z.number() });
const newPerson = (n: number) => ({ firstName: 'Lena', lastName: `Kaltschmidt ${n}`, departmentIds: [1] });

describe('kept-alive connections closed by ChurchTools while idle', () => {
  it('a POST after the event loop was busy longer than the server keeps a connection is created once, without an error', async () => {
    const { http, standIn } = await connected(150);
    for (let n = 0; n < 3; n++) {
      await http.get('/whoami', whoami);
      busyFor(400);
      await http.post('/persons', newPerson(n), ctPersonSchema);
    }
    expect(standIn.requests.filter((r) => r.method === 'POST' && r.path === '/persons')).toHaveLength(3);
    expect([...standIn.state.persons.values()].filter((p) => p.lastName.startsWith('Kaltschmidt'))).toHaveLength(3);
  });

  it('closes a connection idle for 4 s itself, before a server with the common 5 s keep-alive does: the next request opens a new one', async () => {
    const { http, proxy } = await connected(5_000);
    await http.get('/whoami', whoami);
    await http.get('/whoami', whoami);
    const kept = proxy.connections;
    await new Promise((resolve) => setTimeout(resolve, 4_300));
    await http.get('/whoami', whoami);
    expect(proxy.connections).toBe(kept + 1);
  }, 20_000);

  it('a change whose reused connection was reset before it reached ChurchTools is sent once more; a create is not, and nothing is created', async () => {
    const { http, proxy, standIn } = await connected(5_000);
    await http.get('/whoami', whoami);
    let dropped = 0;
    const before = proxy.log.length;
    proxy.rule = (r) => (r.method === 'PATCH' && dropped++ === 0 ? { kind: 'drop' } : { kind: 'forward' });
    await expect(http.patch('/persons/2', { city: 'Neustadt' }, ctPersonSchema)).resolves.toMatchObject({ id: 2 });
    expect(proxy.log.slice(before).map((e) => `${e.request.method} ${e.action}`)).toEqual(['PATCH drop', 'PATCH forward']);
    expect(standIn.state.persons.get(2)?.city).toBe('Neustadt');

    proxy.rule = (r) => (r.method === 'POST' ? { kind: 'drop' } : { kind: 'forward' });
    await expect(http.post('/persons', newPerson(9), ctPersonSchema)).rejects.toMatchObject({ kind: 'network' });
    expect(proxy.log.filter((e) => e.request.method === 'POST').map((e) => e.action)).toEqual(['drop']);
    expect(standIn.requests.filter((r) => r.method === 'POST' && r.path === '/persons')).toHaveLength(0);
  });
});
