/**
 * The nightly runner as the bridge will host it (startNightlyService): real HTTP against the
 * ChurchTools stand-in and the bridge, with an injected clock and timer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeNightlyEvent, startNightlyService } from '../../src/runner/nightly-service.ts';
import { nightlyHealth, type NightlyEvent, type NightlyTimer } from '../../src/runner/nightly.ts';
import { FAST_HTTP } from '../churchtools/helpers.ts';
import { cliWorld, demoDocument, type CliWorld } from '../cli/helpers.ts';

let w: CliWorld;
beforeAll(async () => {
  w = await cliWorld();
  const imported = await w.cli(['import', w.file('jobs.json', demoDocument(w.bridge.url)), '--store-token'], { OPTIGEM_BRIDGE_TOKEN: w.bridge.rw });
  expect(imported.code, imported.stderr).toBe(0);
});
afterAll(async () => {
  await w?.close();
});

describe('startNightlyService', () => {
  it('logs in with the login token and runs the autoRun job inside the window, once', async () => {
    // The stand-in's own clock is real time: put the window around it.
    let now = new Date();
    const clock = { now: () => new Date(now.getTime()) };
    let pending: (() => void) | null = null;
    const timer: NightlyTimer = {
      setTimeout: (callback) => {
        pending = callback;
        return callback;
      },
      clearTimeout: () => {
        pending = null;
      },
    };
    const events: NightlyEvent[] = [];
    const hh = (d: Date, plusMinutes: number) => new Date(d.getTime() + plusMinutes * 60_000).toISOString().slice(11, 16);
    const service = startNightlyService({
      churchToolsUrl: w.standIn.url,
      loginToken: w.standIn.admin.loginToken,
      window: { start: hh(now, -5), end: hh(now, 55) },
      timeZone: 'UTC',
      clock,
      timer,
      http: FAST_HTTP,
      onEvent: (event) => events.push(event),
    });
    const fire = async () => {
      const callback = pending;
      pending = null;
      callback?.();
      await service.nightly.tick();
    };
    w.standIn.resetRequests();
    await fire();
    // One session for the pass: logged in before, logged out after.
    const paths = w.standIn.requests.map((r) => `${r.method} ${r.path}`);
    expect(paths.filter((p) => p === 'POST /logout')).toHaveLength(1);
    expect(paths.at(-1)).toBe('POST /logout');
    const [result] = service.nightly.status().lastResults;
    expect(result).toMatchObject({ jobId: 'personen', status: 'succeeded', executionId: expect.any(String) });
    expect(events.map((e) => e.type)).toEqual(['started', 'result']);
    // what the bridge logs and shows on its public health endpoint
    expect(events.map(describeNightlyEvent).at(-1)).toMatchObject({ level: 'info', message: 'nightly.result', fields: { jobId: 'personen', status: 'succeeded' } });
    expect(nightlyHealth(service.nightly.status())).toEqual({
      nextRun: expect.any(String),
      lastResults: [{ jobId: 'personen', executionId: result?.executionId, status: 'succeeded', at: expect.any(String) }],
    });

    now = new Date(now.getTime() + 10 * 60_000);
    w.standIn.resetRequests();
    await fire();
    // The next pass logs in afresh (its first request carries the login token) and out again.
    expect(w.standIn.requests[0]).toMatchObject({ path: '/whoami', query: expect.stringContaining('login_token') });
    expect(w.standIn.requests.at(-1)).toMatchObject({ method: 'POST', path: '/logout' });
    const ct = await w.churchTools();
    const runs = (await ct.storage.executions.recent('personen')).items.filter((e) => !e.data.dryRun);
    expect(runs.map((e) => e.data.id)).toEqual([result?.executionId]);
    expect(service.nightly.nextRunFor('personen')).not.toBeNull();
    await service.stop();
  });
});
