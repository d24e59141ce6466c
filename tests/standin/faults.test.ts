import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '../../dev/standin/server.ts';
import { adminClient, call, clientError } from './helpers.ts';

let standIn: StandIn;

beforeAll(async () => {
  standIn = await startStandIn();
});
afterEach(() => {
  standIn.faults.clear();
  standIn.resetRequests();
});
afterAll(async () => {
  await standIn.close();
});

describe('rate limits', () => {
  it('answers 429 without Retry-After once the per-minute budget is used up', async () => {
    const limited = await startStandIn({ requestsPerMinute: 3, data: 'empty' });
    try {
      const statuses: number[] = [];
      let last: Headers | undefined;
      for (let i = 0; i < 5; i++) {
        const res = await call(limited, 'GET', '/whoami');
        statuses.push(res.status);
        last = res.headers;
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(last?.get('retry-after')).toBeNull();
      expect(limited.requests.map((r) => r.status)).toEqual(statuses);
    } finally {
      await limited.close();
    }
  });

  it('answers 429 for a deterministic share of requests', async () => {
    standIn.faults.rateLimitShare(0.25);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await call(standIn, 'GET', '/whoami')).status);
    expect(statuses).toEqual([200, 200, 200, 429, 200, 200, 200, 429]);
  });

  it('lets the official client recover from a 429 with its rate-limit interceptor', async () => {
    const client = await adminClient(standIn);
    // The typings only allow null here, so the wait is set separately.
    client.setRateLimitTimeout(10);
    client.setRateLimitInterceptor();
    standIn.resetRequests();
    standIn.faults.rateLimitShare(0.5);
    await client.get('/whoami');
    const me = await client.get<{ id: number }>('/whoami');
    expect(me.id).toBe(standIn.admin.personId);
    expect(standIn.requests.map((r) => r.status)).toEqual([200, 429, 200]);
  });
});

describe('injected failures', () => {
  it('fails exactly the n-th matching request, e.g. the 3rd page of persons', async () => {
    const client = await adminClient(standIn);
    standIn.resetRequests();
    standIn.faults.failRequests({ method: 'GET', pathPrefix: '/persons', nth: 3 }, 500);
    const error = await clientError(client.getAllPages('/persons', {}, 50));
    expect(error.status).toBe(500);
    expect(error.data).toMatchObject({ messageKey: expect.any(String), errors: [] });
    expect(standIn.requests.map((r) => `${r.query} ${r.status}`)).toEqual(['limit=50&page=1 200', 'limit=50&page=2 200', 'limit=50&page=3 500']);
    // Only that one request fails: a retry of the same page succeeds.
    expect((await call(standIn, 'GET', '/persons?limit=50&page=3')).status).toBe(200);
  });

  it('fails a run of matching requests and leaves others alone', async () => {
    standIn.faults.failRequests({ pathPrefix: '/api/custommodules', times: 2 }, 503);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(standIn, 'GET', '/custommodules')).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect((await call(standIn, 'GET', '/whoami')).status).toBe(200);
  });

  it('changes the data right before the n-th matching request: a person gone between two pages', async () => {
    const first = (await call(standIn, 'GET', '/persons?limit=10&page=1')).body as { data: { id: number }[]; meta: { pagination: { total: number } } };
    const victim = first.data[0]!.id;
    standIn.faults.beforeRequest({ method: 'GET', pathPrefix: '/persons', nth: 1 }, (state) => {
      state.persons.delete(victim);
    });
    const second = (await call(standIn, 'GET', '/persons?limit=10&page=1')).body as { data: { id: number }[]; meta: { pagination: { total: number } } };
    expect(second.data.map((p) => p.id)).not.toContain(victim);
    expect(second.meta.pagination.total).toBe(first.meta.pagination.total - 1);
  });

  it('answers a page 200 with items missing and its meta unchanged', async () => {
    standIn.faults.dropItems({ method: 'GET', pathPrefix: '/persons', nth: 2 }, 3);
    const sizes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await call(standIn, 'GET', '/persons?limit=10&page=1');
      expect(res.status).toBe(200);
      const body = res.body as { data: unknown[]; meta: { pagination: { limit: number } } };
      expect(body.meta.pagination.limit).toBe(10);
      sizes.push(body.data.length);
    }
    expect(sizes).toEqual([10, 7, 10]);
  });

  it('delays responses by the configured time', async () => {
    standIn.faults.delay(120);
    const started = performance.now();
    await call(standIn, 'GET', '/whoami');
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('records every API request in order, with method, path, query and status', async () => {
    await call(standIn, 'GET', '/persons?ids[]=2&limit=5');
    await call(standIn, 'DELETE', '/persons/999999');
    expect(standIn.requests).toEqual([
      { method: 'GET', path: '/persons', query: 'ids[]=2&limit=5', status: 200 },
      { method: 'DELETE', path: '/persons/999999', query: '', status: 404 },
    ]);
  });
});

describe('closing', () => {
  it('closes with open keep-alive connections and pending delayed requests', async () => {
    const other = await startStandIn({ data: 'empty' });
    await call(other, 'GET', '/whoami');
    other.faults.delay(10_000);
    const pending = call(other, 'GET', '/whoami').catch(() => 'aborted');
    await new Promise((r) => setTimeout(r, 20));
    const started = performance.now();
    await other.close();
    expect(performance.now() - started).toBeLessThan(2_000);
    await pending;
  });
});
