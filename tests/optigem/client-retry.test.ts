/**
 * Issue 12: the Optigem client repeats what may be repeated. A page read (GET) whose answer was
 * lost, timed out or came from an overloaded gateway (502-504) is read again, a bounded number of
 * times; a 4xx never. A create with an Idempotency-Key is repeated too, because the bridge answers
 * the repetition with the record the first attempt made; a PATCH or DELETE never. Counted at a
 * fault proxy in front of a real bridge, and through a whole sync run.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '../../dev/standin/server.ts';
import { createChurchTools } from '../../src/churchtools/index.ts';
import { createNodeClient } from '../../src/churchtools/node-client.ts';
import { BridgeClient, BridgeError, OptigemSystemPort } from '../../src/optigem/index.ts';
import { run } from '../../src/sync/engine.ts';
import type { Job, PropertyPair } from '../../src/sync/model.ts';
import { startTestBridge, type TestBridge } from '../bridge/helpers.ts';
import { FAST_HTTP } from '../churchtools/helpers.ts';
import { startFaultProxy, type FaultAction, type FaultProxy, type SeenRequest } from '../helpers/fault-proxy.ts';

/** No pauses between attempts: the test counts attempts, it does not time them. */
const NO_WAIT = { delaysMs: [0] };

let bridge: TestBridge | undefined;
let proxy: FaultProxy | undefined;
let standIn: StandIn | undefined;
afterEach(async () => {
  await proxy?.close();
  await Promise.all([bridge?.close(), standIn?.close()]);
  bridge = undefined;
  proxy = undefined;
  standIn = undefined;
});

async function world(): Promise<{ bridge: TestBridge; proxy: FaultProxy; client: BridgeClient }> {
  bridge = await startTestBridge();
  proxy = await startFaultProxy(bridge.url);
  return { bridge, proxy, client: new BridgeClient({ baseUrl: proxy.url, token: bridge.rw, retry: NO_WAIT }) };
}

/** Applies `fault` to the first `times` requests that `matches` picks, forwards everything else. */
function faultOn(matches: (request: SeenRequest) => boolean, fault: FaultAction, times = 1): (request: SeenRequest) => FaultAction {
  let left = times;
  return (request) => {
    if (left > 0 && matches(request)) {
      left--;
      return fault;
    }
    return { kind: 'forward' };
  };
}

const seen = (p: FaultProxy, method: string, prefix: string): number => p.log.filter((e) => e.request.method === method && e.request.url.startsWith(prefix)).length;

async function expectBridgeError(promise: Promise<unknown>): Promise<BridgeError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BridgeError);
  return error as BridgeError;
}

describe('page reads are repeated after a transient failure', () => {
  it('reads a page again whose answer was lost after the bridge sent it: two requests, one page', async () => {
    const w = await world();
    w.proxy.rule = faultOn((r) => r.method === 'GET' && r.url.startsWith('/v1/persons?'), { kind: 'loseAnswer' });
    const page = await w.client.listPersons({ limit: 5 });
    expect(page.items).toHaveLength(5);
    expect(seen(w.proxy, 'GET', '/v1/persons?')).toBe(2);
  });

  it('reads again after 502, 503 and 504 and stops after three attempts in all', async () => {
    const w = await world();
    for (const status of [502, 503, 504]) {
      w.proxy.log.length = 0;
      w.proxy.rule = faultOn((r) => r.url.startsWith('/v1/persons?'), { kind: 'answer', status }, 2);
      expect((await w.client.listPersons({ limit: 5 })).items).toHaveLength(5);
      expect(seen(w.proxy, 'GET', '/v1/persons?')).toBe(3);
    }
    w.proxy.log.length = 0;
    w.proxy.rule = () => ({ kind: 'answer', status: 503 });
    const error = await expectBridgeError(w.client.listPersons({ limit: 5 }));
    expect(error.kind).toBe('server');
    expect(error.status).toBe(503);
    expect(seen(w.proxy, 'GET', '/v1/persons?')).toBe(3);
  });

  it('tries once while the bridge keeps failing, and repeats again once it answers', async () => {
    const w = await world();
    w.proxy.rule = () => ({ kind: 'answer', status: 503 });
    await expectBridgeError(w.client.listPersons({ limit: 5 }));
    await expectBridgeError(w.client.listPersons({ limit: 5 }));
    expect(seen(w.proxy, 'GET', '/v1/persons?')).toBe(3 + 1);
    w.proxy.rule = () => ({ kind: 'forward' });
    await w.client.health();
    w.proxy.rule = faultOn((r) => r.url.startsWith('/v1/persons?'), { kind: 'loseAnswer' });
    w.proxy.log.length = 0;
    expect((await w.client.listPersons({ limit: 5 })).items).toHaveLength(5);
    expect(seen(w.proxy, 'GET', '/v1/persons?')).toBe(2);
  });

  it('never repeats a 4xx or a 500: the same request would get the same answer', async () => {
    const w = await world();
    expect((await expectBridgeError(w.client.getPerson(999_999))).kind).toBe('notFound');
    expect(seen(w.proxy, 'GET', '/v1/persons/999999')).toBe(1);
    for (const status of [400, 429, 500]) {
      w.proxy.log.length = 0;
      w.proxy.rule = () => ({ kind: 'answer', status });
      await expectBridgeError(w.client.listPersons({ limit: 5 }));
      expect(seen(w.proxy, 'GET', '/v1/persons?')).toBe(1);
    }
  });

  it('reads again after a timeout', async () => {
    const w = await world();
    const slow = new BridgeClient({ baseUrl: w.proxy.url, token: w.bridge.rw, timeoutMs: 300, retry: NO_WAIT });
    // Counted on arrival: the proxy logs a request once its rule has decided, and the first one
    // is still held back when the client has its page.
    let arrived = 0;
    w.proxy.rule = async () => {
      arrived++;
      if (arrived === 1) await new Promise((resolve) => setTimeout(resolve, 1_000));
      return { kind: 'forward' };
    };
    expect((await slow.listPersons({ limit: 5 })).items).toHaveLength(5);
    expect(arrived).toBe(2);
  });
});

describe('writes are repeated only where the bridge makes a repetition harmless', () => {
  const person = { firstName: 'Ida', lastName: 'Wiederholt' };

  it('repeats a create with an Idempotency-Key whose answer was lost and gets the person the first attempt made', async () => {
    const w = await world();
    const before = (await w.client.listPersons({ limit: 1 })).total;
    w.proxy.rule = faultOn((r) => r.method === 'POST' && r.url === '/v1/persons', { kind: 'loseAnswer' });
    const { person: created, replayed } = await w.client.createPerson(person, { idempotencyKey: 'retry-test-1' });
    expect(replayed).toBe(true);
    expect(seen(w.proxy, 'POST', '/v1/persons')).toBe(2);
    expect((await w.client.listPersons({ limit: 1 })).total).toBe(before + 1);
    expect((await w.client.getPerson(created.nr)).lastName).toBe('Wiederholt');
  });

  it('does not repeat a create without a key, nor a PATCH or a DELETE', async () => {
    const w = await world();
    const before = (await w.client.listPersons({ limit: 1 })).total;
    w.proxy.rule = faultOn((r) => r.method === 'POST', { kind: 'loseAnswer' });
    await expectBridgeError(w.client.createPerson(person));
    expect(seen(w.proxy, 'POST', '/v1/persons')).toBe(1);
    // The bridge made the person once; nothing was sent twice.
    expect((await w.client.listPersons({ limit: 1 })).total).toBe(before + 1);

    const target = (await w.client.listPersons({ limit: 1 })).items[0];
    if (!target) throw new Error('the demo has persons');
    w.proxy.rule = faultOn((r) => r.method === 'PATCH', { kind: 'answer', status: 503 });
    expect((await expectBridgeError(w.client.patchPerson(target.nr, { city: 'Anderswo' }, target.etag))).status).toBe(503);
    expect(seen(w.proxy, 'PATCH', `/v1/persons/${target.nr}`)).toBe(1);
    w.proxy.rule = faultOn((r) => r.method === 'DELETE', { kind: 'answer', status: 502 });
    await expectBridgeError(w.client.deletePerson(target.nr, target.etag));
    expect(seen(w.proxy, 'DELETE', `/v1/persons/${target.nr}`)).toBe(1);
  });
});

describe('a kept-alive socket the bridge closed while the client was busy', () => {
  it('sends a PATCH that never reached the bridge once more on a fresh socket: applied once', async () => {
    const w = await world();
    const target = (await w.client.listPersons({ limit: 1 })).items[0];
    if (!target) throw new Error('the demo has persons');
    // The PATCH goes out on the socket the page read used; the proxy closes it without passing
    // the request on, as a server does with an idle socket the client is just reusing.
    w.proxy.rule = faultOn((r) => r.method === 'PATCH', { kind: 'drop' });
    const patched = await w.client.patchPerson(target.nr, { city: 'Neustadt' }, target.etag);
    expect(patched.city).toBe('Neustadt');
    expect(seen(w.proxy, 'PATCH', `/v1/persons/${target.nr}`)).toBe(2);
    const updates = (await w.client.audit({ entity: 'person', recordId: String(target.nr) })).filter((e) => e.action === 'update');
    expect(updates).toHaveLength(1);
  });
});

describe('a sync run whose bridge loses answers', () => {
  const pairs: PropertyPair[] = [
    { key: 'fn', domain: 'person', churchtools: 'firstName', optigem: 'Vorname' },
    { key: 'ln', domain: 'person', churchtools: 'lastName', optigem: 'Nachname' },
    { key: 'em', domain: 'person', churchtools: 'email', optigem: 'EMail' },
    { key: 'bd', domain: 'person', churchtools: 'birthday', optigem: 'Geburtsdatum' },
  ];

  it('completes when the first answer of a page and of a create are lost: the page read twice, each person written once', async () => {
    const w = await world();
    standIn = await startStandIn();
    const ctClient = createNodeClient(standIn.url, standIn.admin.loginToken);
    await ctClient.loginWithToken(standIn.admin.loginToken);
    const ct = createChurchTools(ctClient, { http: FAST_HTTP });
    const optigem = new OptigemSystemPort(w.client, { pageSize: 5 });
    const job: Job = {
      id: 'export',
      name: 'Export',
      connectionId: 'demo',
      domain: 'person',
      actions: { export: { defaults: {} } },
      conditions: { churchtools: [], optigem: [] },
      propertyPairKeys: pairs.map((p) => p.key),
      autoRun: false,
    };
    const pageUrl = '/v1/persons?limit=5&after=';
    let pageLost = false;
    let createLost = false;
    w.proxy.rule = (request) => {
      if (!pageLost && request.method === 'GET' && request.url.startsWith(pageUrl)) {
        pageLost = true;
        return { kind: 'loseAnswer' };
      }
      if (!createLost && request.method === 'POST' && request.url === '/v1/persons') {
        createLost = true;
        return { kind: 'loseAnswer' };
      }
      return { kind: 'forward' };
    };
    const before = (await w.client.listPersons({ limit: 1 })).total;

    const result = await run(job, { ports: { churchtools: ct.persons, optigem }, pairStore: ct.storage.pairs, propertyPairs: pairs });

    expect(result.execution.status).toBe('succeeded');
    expect(pageLost && createLost).toBe(true);
    const lostPage = w.proxy.log.find((e) => e.action === 'loseAnswer' && e.request.method === 'GET')?.request.url;
    expect(w.proxy.log.filter((e) => e.request.url === lostPage)).toHaveLength(2);
    const creates = result.execution.counters.optigem['create'] ?? 0;
    expect(creates).toBeGreaterThan(0);
    // One POST more than creates (the repeated one), one person per create in Optigem.
    expect(seen(w.proxy, 'POST', '/v1/persons')).toBe(creates + 1);
    expect((await w.client.listPersons({ limit: 1 })).total).toBe(before + creates);
  });
});
