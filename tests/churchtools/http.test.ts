/** CtHttp, the pacer and error conversion, against a fake client (no network, virtual time). */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CtHttp, type CtClient } from '../../src/churchtools/http/ct-http.ts';
import { CtHttpError, parseRetryAfter, toCtHttpError, toPortError } from '../../src/churchtools/http/errors.ts';
import { CHURCHTOOLS_MAX_REQUESTS_PER_MINUTE, Pacer, clampPace } from '../../src/churchtools/http/pacer.ts';
import { withQuery } from '../../src/churchtools/http/query.ts';
import { personToRecord, recordValuesToBody } from '../../src/churchtools/persons/person-fields.ts';
import { PortError } from '../../src/sync/ports.ts';

/** Virtual time: sleep advances the clock instead of waiting. */
function virtualClock() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
    advance: (ms: number) => {
      now += ms;
    },
    get time() {
      return now;
    },
  };
}

function axiosError(status: number, data: unknown, headers: Record<string, string> = {}) {
  return Object.assign(new Error(`Request failed with status code ${status}`), { response: { status, data, headers } });
}

type Answer = () => unknown;

function fakeClient(answers: Answer[]): CtClient & { calls: string[] } {
  const calls: string[] = [];
  const next = async (call: string): Promise<unknown> => {
    calls.push(call);
    const answer = answers.shift();
    if (!answer) throw new Error('no more answers');
    return answer();
  };
  return {
    calls,
    get: <T,>(uri: string) => next(`GET ${uri}`) as Promise<T>,
    post: <T,>(uri: string) => next(`POST ${uri}`) as Promise<T>,
    put: <T,>(uri: string) => next(`PUT ${uri}`) as Promise<T>,
    patch: <T,>(uri: string) => next(`PATCH ${uri}`) as Promise<T>,
    deleteApi: <T,>(uri: string) => next(`DELETE ${uri}`) as Promise<T>,
  };
}

const ok = (data: unknown) => () => ({ status: 200, data: { data } });
const fail = (status: number, data: unknown = { message: 'x' }, headers: Record<string, string> = {}) => () => {
  throw axiosError(status, data, headers);
};

describe('Pacer', () => {
  it('starts at most requestsPerMinute after the burst', async () => {
    const clock = virtualClock();
    const pacer = new Pacer({ requestsPerMinute: 60, burst: 2, concurrency: 10, now: clock.now, sleep: clock.sleep });
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 5 }, () => pacer.run(async () => void starts.push(clock.time))));
    expect(starts).toEqual([0, 0, 1000, 2000, 3000]);
  });

  it('keeps at most `concurrency` tasks in flight', async () => {
    const pacer = new Pacer({ requestsPerMinute: 1e6, burst: 100, concurrency: 2 });
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        pacer.run(async () => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((r) => setTimeout(r, 5));
          active--;
        }),
      ),
    );
    expect(peak).toBe(2);
  });

  it('holds everyone back during a pause', async () => {
    const clock = virtualClock();
    const pacer = new Pacer({ requestsPerMinute: 1e6, burst: 100, now: clock.now, sleep: clock.sleep });
    pacer.pause(60_000);
    await pacer.run(async () => undefined);
    expect(clock.time).toBe(60_000);
  });
});

describe('CtHttp', () => {
  it('retries a 429 after Retry-After, else after the configured wait', async () => {
    const clock = virtualClock();
    const client = fakeClient([fail(429, {}, { 'retry-after': '7' }), fail(429), ok([1, 2])]);
    const http = new CtHttp(client, { now: clock.now, sleep: clock.sleep, rateLimitWaitMs: 60_000, requestsPerMinute: 1e6 });
    expect(await http.get('/x', z.array(z.number()))).toEqual([1, 2]);
    expect(clock.sleeps).toEqual([7000, 60_000]);
    expect(http.stats).toMatchObject({ requests: 3, rateLimited: 2 });
  });

  it('retries reads after 5xx with backoff, but never a write', async () => {
    const clock = virtualClock();
    const client = fakeClient([fail(502), fail(500), ok('fine'), fail(500)]);
    const http = new CtHttp(client, { now: clock.now, sleep: clock.sleep, readBackoffMs: 100, requestsPerMinute: 1e6 });
    expect(await http.get('/x', z.string())).toBe('fine');
    expect(clock.sleeps).toEqual([100, 200]);
    await expect(http.post('/y', {}, z.unknown())).rejects.toMatchObject({ status: 500 });
    expect(client.calls).toEqual(['GET /x', 'GET /x', 'GET /x', 'POST /y']);
  });

  it('treats a timeout as retryable and a shape mismatch as invalidResponse', async () => {
    const clock = virtualClock();
    const client = fakeClient([
      () => {
        throw Object.assign(new Error('canceled'), { code: 'ERR_CANCELED', name: 'CanceledError' });
      },
      ok({ nope: true }),
    ]);
    const http = new CtHttp(client, { now: clock.now, sleep: clock.sleep, requestsPerMinute: 1e6 });
    const error = await http.get('/x', z.array(z.number())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CtHttpError);
    expect(error).toMatchObject({ kind: 'invalidResponse' });
    expect(http.stats.retries).toBe(1);
  });

  it('puts query parameters on writes PHP-style', () => {
    expect(withQuery('/persons', { force: true, ids: [1, 2], skip: undefined })).toBe('/persons?force=true&ids%5B%5D=1&ids%5B%5D=2');
  });
});

describe('errors', () => {
  it('turns the envelope into a PortError naming record and cause', () => {
    const raw = axiosError(400, {
      message: 'There are validation errors',
      messageKey: 'validation.error',
      translatedMessage: 'Die eingegebenen Daten waren nicht korrekt.',
      args: [],
      errors: [{ fieldId: 'email', message: 'please.enter.valid.email', messageKey: 'please.enter.valid.email', args: [] }],
    });
    const port = toPortError(toCtHttpError(raw, 'PATCH', '/persons/7'), { operation: 'update person', recordId: '7', label: 'Muster, Max' });
    expect(port).toBeInstanceOf(PortError);
    expect(port.code).toBe('validation.error');
    expect(port.retryable).toBe(false);
    expect(port.args).toMatchObject({ recordId: '7', label: 'Muster, Max', status: 400, messageKey: 'validation.error' });
    expect(port.message).toBe(
      'ChurchTools: update person Muster, Max #7 failed: Die eingegebenen Daten waren nicht korrekt. (email: please.enter.valid.email)',
    );
    expect(toPortError(toCtHttpError(axiosError(503, ''), 'GET', '/x'), { operation: 'read' })).toMatchObject({ code: 'ct.serverError', retryable: true });
    expect(toPortError(toCtHttpError(axiosError(401, 'Session expired!'), 'GET', '/x'), { operation: 'read' }).message).toContain('Session expired!');
  });

  it('keeps the messageKey of a 400 whose errors are plain strings (published POST/PATCH /persons 400 body)', () => {
    const raw = axiosError(400, {
      message: 'Duplicate found. Use force flag to create person with same name.',
      messageKey: 'forbidden.duplicate.person',
      args: [],
      errors: ['Es gibt bereits eine Person mit diesem Namen.'],
    });
    const error = toCtHttpError(raw, 'POST', '/persons');
    expect(error.messageKey).toBe('forbidden.duplicate.person');
    expect(error.detail).toBe('Duplicate found. Use force flag to create person with same name. (Es gibt bereits eine Person mit diesem Namen.)');
    const port = toPortError(error, { operation: 'create person', label: 'Muster, Max' });
    expect(port.code).toBe('forbidden.duplicate.person');
  });

  it('drops an unreadable errors item instead of the whole envelope', () => {
    const error = toCtHttpError(axiosError(400, { messageKey: 'validation.error', errors: [42, { fieldId: 'zip', message: 'too long' }] }), 'PATCH', '/persons/3');
    expect(error.messageKey).toBe('validation.error');
    expect(error.detail).toBe('validation.error (zip: too long)');
  });

  it('reads Retry-After as seconds or as a date', () => {
    expect(parseRetryAfter('12')).toBe(12_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(30_000);
    expect(parseRetryAfter(null)).toBeNull();
  });
});

describe('person fields', () => {
  it('normalises a ChurchTools person and converts values back', () => {
    const record = personToRecord({
      id: 12,
      firstName: 'Anna',
      lastName: 'Müller',
      email: '',
      birthday: '1980-05-04',
      sexId: 2,
      statusId: 1,
      familyStatusId: null,
      departmentIds: [1, 3],
      dateOfEntry: '2020-01-01T00:00:00Z',
      optigemId: '',
      isArchived: false,
      customField: 'x',
      imageUrl: 'https://…',
      meta: { modifiedDate: '2025-01-01T10:00:00Z' },
    });
    expect(record).toEqual({
      id: '12',
      properties: {
        firstName: 'Anna',
        lastName: 'Müller',
        email: null,
        birthday: '1980-05-04',
        sexId: '2',
        statusId: '1',
        familyStatusId: null,
        departmentIds: ['1', '3'],
        dateOfEntry: '2020-01-01',
        optigemId: null,
        customField: 'x',
      },
      modifiedAt: '2025-01-01T10:00:00Z',
      archived: false,
      partnerHint: null,
    });
    expect(recordValuesToBody({ sexId: '2', departmentIds: ['1', '3'], email: null, birthday: null, familyStatusId: null })).toEqual({
      sexId: 2,
      departmentIds: [1, 3],
      email: '',
      birthday: null,
      familyStatusId: null,
    });
    expect(() => recordValuesToBody({ statusId: 'Mitglied' })).toThrow(PortError);
    // statusId, campusId and growPathId are non-nullable numbers in the published PersonUpdateable:
    // "no value" is left out (ChurchTools keeps or defaults it), never sent as null.
    expect(recordValuesToBody({ statusId: null, campusId: '', growPathId: null, sexId: null, lastName: 'Muster' })).toEqual({ sexId: null, lastName: 'Muster' });
    expect(() => recordValuesToBody({ tags: ['1'] })).toThrow(/tags/);
  });
});

describe('Pacer after 429', () => {
  it('halves its pace after a 429 and climbs back while none follows', () => {
    const clock = virtualClock();
    const pacer = new Pacer({ requestsPerMinute: 600, now: clock.now, sleep: clock.sleep });
    pacer.rateLimited(10_000);
    expect(pacer.currentRequestsPerMinute).toBe(300);
    // Other requests of the same overrun answer 429 too: one slowdown per pause.
    pacer.rateLimited(10_000);
    expect(pacer.currentRequestsPerMinute).toBe(300);
    clock.advance(10_000);
    pacer.rateLimited(10_000);
    expect(pacer.currentRequestsPerMinute).toBe(150);
    clock.advance(10_000 + 30_000);
    expect(pacer.currentRequestsPerMinute).toBe(210);
    // Never below an eighth of the configured pace.
    for (let i = 0; i < 10; i++) {
      clock.advance(1);
      pacer.rateLimited(0);
    }
    expect(pacer.currentRequestsPerMinute).toBe(75);
    clock.advance(5 * 60_000);
    expect(pacer.currentRequestsPerMinute).toBe(600);
  });

  it('waits as long as Retry-After asks before the next start', async () => {
    const clock = virtualClock();
    const pacer = new Pacer({ requestsPerMinute: 600, burst: 5, now: clock.now, sleep: clock.sleep });
    pacer.rateLimited(7_000);
    await pacer.run(async () => undefined);
    expect(clock.time).toBe(7_000);
  });

  it('caps a configured pace at ChurchTools\' documented limit', () => {
    expect(clampPace(5_000)).toBe(CHURCHTOOLS_MAX_REQUESTS_PER_MINUTE);
    expect(clampPace(120)).toBe(120);
    expect(clampPace(undefined)).toBe(300);
    expect(clampPace(0)).toBe(300);
    expect(clampPace(Number.NaN)).toBe(300);
  });
});

describe('Pacer with a changed pace (the extension setting changes while the tab keeps its pacer)', () => {
  it('uses the new pace from the next start on, and keeps a slowdown after a 429 capped by it', async () => {
    const clock = virtualClock();
    const pacer = new Pacer({ requestsPerMinute: 60, burst: 1, now: clock.now, sleep: clock.sleep });
    const starts: number[] = [];
    const start = () => pacer.run(async () => void starts.push(clock.time));
    await start();
    await start();
    pacer.setRequestsPerMinute(600);
    expect(pacer.requestsPerMinute).toBe(600);
    await start();
    await start();
    expect(starts).toEqual([0, 1_000, 1_100, 1_200]);

    pacer.rateLimited(0);
    expect(pacer.currentRequestsPerMinute).toBe(300);
    pacer.setRequestsPerMinute(450);
    // Still slowed: it climbs back as after any 429, now towards 450.
    expect(pacer.currentRequestsPerMinute).toBe(300);
    clock.advance(30_000);
    expect(pacer.currentRequestsPerMinute).toBe(345);
    // A pace below the slowed one is the admin's new pace right away.
    pacer.setRequestsPerMinute(120);
    expect(pacer.currentRequestsPerMinute).toBe(120);
  });
});
