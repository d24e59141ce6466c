/**
 * The nightly runner inside the bridge: its configuration, and over real HTTP a bridge with
 * nightly runs enabled against the ChurchTools stand-in, showing them on /v1/health.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '../../dev/standin/server.ts';
import { HELP } from '../../src/bridge/cli.ts';
import { ConfigError, loadConfig, overridesFromEnv } from '../../src/bridge/config.ts';
import { createTempDemoDatabase, startBridge, type RunningBridge, type StartOptions, type TempDatabase } from '../../src/bridge/index.ts';
import { main } from '../../src/cli/main.ts';
import { HealthSchema, NightlyStatusSchema, type Health } from '../../src/optigem/schemas.ts';
import { windowAt, type NightlyTimer } from '../../src/runner/nightly.ts';
import { FAST_HTTP } from '../churchtools/helpers.ts';
import { demoDocument } from '../cli/helpers.ts';
import { testStore } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'bridge-nightly-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configFile(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(content));
  return file;
}

describe('nightly configuration', () => {
  it('is off by default, with the default window', () => {
    const config = loadConfig({ env: {}, flags: {} });
    expect(config.nightly).toEqual({ enabled: false, window: { start: '00:00', end: '04:00' } });
  });

  it('takes the file, and the environment over it', () => {
    const file = configFile('nightly.json', {
      nightly: { enabled: false, churchToolsUrl: 'https://a.church.tools', window: { start: '22:00', end: '02:00' }, timeZone: 'Europe/Berlin' },
    });
    expect(loadConfig({ file, env: {}, flags: {} }).nightly).toEqual({
      enabled: false,
      churchToolsUrl: 'https://a.church.tools',
      window: { start: '22:00', end: '02:00' },
      timeZone: 'Europe/Berlin',
    });
    const env = overridesFromEnv({ OPTIGEM_BRIDGE_NIGHTLY: '1', OPTIGEM_BRIDGE_CT_URL: 'https://b.church.tools' });
    expect(loadConfig({ file, env, flags: {} }).nightly).toEqual({
      enabled: true,
      churchToolsUrl: 'https://b.church.tools',
      window: { start: '22:00', end: '02:00' },
      timeZone: 'Europe/Berlin',
    });
    // Environment alone, without a file.
    expect(loadConfig({ env, flags: {} }).nightly).toMatchObject({ enabled: true, churchToolsUrl: 'https://b.church.tools', window: { start: '00:00', end: '04:00' } });
    expect(loadConfig({ file, env: overridesFromEnv({ OPTIGEM_BRIDGE_NIGHTLY: 'false' }), flags: {} }).nightly.enabled).toBe(false);
  });

  it('refuses an enabled runner without a ChurchTools URL', () => {
    const file = configFile('no-url.json', { nightly: { enabled: true } });
    expect(() => loadConfig({ file, env: {}, flags: {} })).toThrow(ConfigError);
    expect(() => loadConfig({ file, env: {}, flags: {} })).toThrow(/nightly\.churchToolsUrl/);
    expect(() => loadConfig({ env: overridesFromEnv({ OPTIGEM_BRIDGE_NIGHTLY: 'yes' }), flags: {} })).toThrow(/OPTIGEM_BRIDGE_CT_URL/);
  });

  it('refuses a bad window, time zone, URL, flag value or unknown key', () => {
    const enabled = { enabled: true, churchToolsUrl: 'https://a.church.tools' };
    const fails = (nightly: unknown, pattern: RegExp) => {
      const file = configFile('bad.json', { nightly });
      let error: unknown;
      try {
        loadConfig({ file, env: {}, flags: {} });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(pattern);
    };
    fails({ ...enabled, window: { start: '25:00', end: '04:00' } }, /Window start "25:00"/);
    fails({ ...enabled, window: { start: '2:00', end: '04:00' } }, /Window start "2:00"/);
    fails({ ...enabled, window: { start: '03:00', end: '03:00' } }, /empty/);
    fails({ ...enabled, timeZone: 'Mars/Olympus' }, /Unknown time zone "Mars\/Olympus"/);
    fails({ ...enabled, churchToolsUrl: 'gemeinde' }, /nightly\.churchToolsUrl/);
    fails({ ...enabled, token: 'secret' }, /token/);
    fails({ ...enabled, window: { start: '00:00' } }, /nightly\.window\.end/);
    expect(() => loadConfig({ env: overridesFromEnv({ OPTIGEM_BRIDGE_NIGHTLY: 'maybe' }), flags: {} })).toThrow(/nightly\.enabled/);
    // A disabled runner's window is not checked.
    expect(loadConfig({ file: configFile('off.json', { nightly: { window: { start: '03:00', end: '03:00' } } }), env: {}, flags: {} }).nightly.enabled).toBe(false);
  });

  it('names the environment variables in --help', () => {
    for (const name of ['OPTIGEM_BRIDGE_NIGHTLY', 'OPTIGEM_BRIDGE_CT_URL', 'OPTIGEM_BRIDGE_CT_TOKEN']) expect(HELP).toContain(name);
  });
});

describe('a bridge with nightly runs', () => {
  let standIn: StandIn;
  const temps: TempDatabase[] = [];
  const bridges: RunningBridge[] = [];

  beforeAll(async () => {
    standIn = await startStandIn();
  });
  afterAll(async () => {
    await Promise.all(bridges.map((b) => b.close()));
    await standIn?.close();
    for (const temp of temps) temp.remove();
  });

  async function bridge(options: StartOptions): Promise<RunningBridge> {
    const db = await createTempDemoDatabase();
    temps.push(db);
    const started = await startBridge({ ...testStore(db.path), ...options });
    bridges.push(started);
    return started;
  }

  async function health(url: string): Promise<Health> {
    const res = await fetch(`${url}/v1/health`);
    expect(res.status).toBe(200);
    return HealthSchema.parse(await res.json());
  }

  /** Stores the demo connection (pointing at `bridgeUrl`, with its token) and its autoRun job in ChurchTools. */
  async function importJobs(bridgeUrl: string, bridgeToken: string): Promise<void> {
    const file = configFile('jobs.json', demoDocument(bridgeUrl));
    let stderr = '';
    const code = await main(['import', file, '--store-token'], {
      stdout: { write: () => undefined },
      stderr: { write: (chunk: string) => (stderr += chunk) },
      env: { CT_URL: standIn.url, CT_TOKEN: standIn.admin.loginToken, OPTIGEM_BRIDGE_TOKEN: bridgeToken, LANG: 'en_GB.UTF-8' },
      cwd: dir,
      churchToolsHttp: FAST_HTTP,
    });
    expect(code, stderr).toBe(0);
  }

  /** HH:MM in UTC, `minutes` from `d`. */
  const hhmm = (d: Date, minutes: number) => new Date(d.getTime() + minutes * 60_000).toISOString().slice(11, 16);

  it('refuses to start without the login token, or without a ChurchTools URL', async () => {
    const db = await createTempDemoDatabase();
    temps.push(db);
    await expect(startBridge({ ...testStore(db.path), nightly: { enabled: true, churchToolsUrl: standIn.url } })).rejects.toThrow(
      /OPTIGEM_BRIDGE_CT_TOKEN/,
    );
    await expect(startBridge({ ...testStore(db.path), nightly: { enabled: true } })).rejects.toBeInstanceOf(ConfigError);
    await expect(
      startBridge({ ...testStore(db.path), nightlyLoginToken: 'x', nightly: { enabled: true, churchToolsUrl: standIn.url, timeZone: 'Nowhere/Land' } }),
    ).rejects.toThrow(/Unknown time zone/);
  });

  it('has no nightly part in /v1/health when nightly runs are off', async () => {
    const b = await bridge({});
    expect(b.nightly).toBeUndefined();
    expect((await health(b.url)).nightly).toBeUndefined();
  });

  it('runs the autoRun job through the bridge inside the window, shows it on /v1/health, and stops on close', async () => {
    // The stand-in's clock is real time, so the window is put around now (UTC); the timer is ours.
    const now = new Date();
    const window = { start: hhmm(now, -5), end: hhmm(now, 55) };
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
    const logLines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
    const b = await bridge({
      nightly: { enabled: true, churchToolsUrl: standIn.url, window, timeZone: 'UTC' },
      nightlyLoginToken: standIn.admin.loginToken,
      nightlyTesting: { timer, http: FAST_HTTP },
      logger: { log: (level, message, fields = {}) => logLines.push({ level, message, fields }) },
    });
    expect(b.nightly).toBeDefined();
    // The connection points at this bridge: the nightly runner reaches it over HTTP like the CLI would.
    await importJobs(b.url, b.tokens?.readWrite ?? '');
    expect(pending).not.toBeNull();

    // The first look, scheduled at once on start.
    const fire = pending as unknown as () => void;
    pending = null;
    fire();
    await b.nightly?.nightly.tick();

    const h = await health(b.url);
    expect(h.nightly?.lastResults).toEqual([{ jobId: 'personen', executionId: expect.any(String), status: 'succeeded', at: expect.any(String) }]);
    // Done for tonight: the next run is the next window's start.
    const nextRun = h.nightly?.nextRun;
    expect(nextRun).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/);
    const next = new Date(nextRun ?? '');
    expect(next.getTime()).toBeGreaterThan(now.getTime());
    expect(next.getTime() - now.getTime()).toBeLessThanOrEqual(24 * 3_600_000);
    expect(windowAt(next, window, 'UTC')?.start.toISOString()).toBe(nextRun);
    expect(pending).not.toBeNull();

    // Logged as structured lines, without names of persons or reasons beyond technical ones.
    expect(logLines.map((l) => l.message)).toEqual(expect.arrayContaining(['nightly.scheduled', 'nightly.started', 'nightly.result']));
    expect(logLines.find((l) => l.message === 'nightly.result')).toMatchObject({ level: 'info', fields: { jobId: 'personen', status: 'succeeded', reason: null } });
    expect(JSON.stringify(logLines)).not.toContain(standIn.admin.loginToken);

    const started = Date.now();
    await b.close();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(pending).toBeNull();
    expect(b.nightly?.nightly.status().nextRun).toBeNull();
    await expect(fetch(`${b.url}/v1/health`)).rejects.toThrow();
  });

  it('with real timers: learns the jobs at once, shows the next window, and close() does not wait for it', async () => {
    const now = new Date();
    // A window that is not open now: nothing runs, the runner sleeps until its start.
    const window = { start: hhmm(now, 120), end: hhmm(now, 180) };
    // The runner looks at the jobs at once on start, so the autoRun job must be there before.
    await importJobs('http://127.0.0.1:9', 'not-used');
    const b = await bridge({
      nightly: { enabled: true, churchToolsUrl: standIn.url, window, timeZone: 'UTC' },
      nightlyLoginToken: standIn.admin.loginToken,
      nightlyTesting: { http: FAST_HTTP },
    });
    let h = await health(b.url);
    for (let i = 0; i < 100 && !h.nightly?.nextRun; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      h = await health(b.url);
    }
    const nextRun = h.nightly?.nextRun ?? '';
    expect(h.nightly?.lastResults).toEqual([]);
    expect(windowAt(new Date(nextRun), window, 'UTC')?.start.toISOString()).toBe(nextRun);
    expect(Date.parse(nextRun) - now.getTime()).toBeGreaterThan(60 * 60_000);

    const started = Date.now();
    await b.close();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(b.nightly?.nightly.status()).toMatchObject({ nextRun: null, busy: false });
  });

  it('runs now on request, keeps the results across a restart, and tells a webhook what needs a person', async () => {
    const notices: unknown[] = [];
    const hook = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        notices.push(JSON.parse(body));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    const now = new Date();
    const db = await createTempDemoDatabase();
    temps.push(db);
    const options: StartOptions = {
      databasePath: db.path,
      // A window that is not open now: only "run now" runs anything.
      nightly: { enabled: true, churchToolsUrl: standIn.url, window: { start: hhmm(now, 120), end: hhmm(now, 180) }, timeZone: 'UTC', notifyWebhook: hookUrl },
      nightlyLoginToken: standIn.admin.loginToken,
      nightlyTesting: { http: FAST_HTTP },
    };
    const first = await startBridge(options);
    const tokens = first.tokens ?? { readWrite: '', readOnly: '' };
    await importJobs(first.url, tokens.readWrite);
    const call = (url: string, path: string, token: string, init: RequestInit = {}) =>
      fetch(`${url}${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...(init.headers ?? {}) } });

    // A reading token may look, not start.
    expect((await call(first.url, '/v1/nightly/run', tokens.readOnly, { method: 'POST', body: '{}' })).status).toBe(403);
    expect((await call(first.url, '/v1/nightly/run', tokens.readWrite, { method: 'POST', body: JSON.stringify({ job: 'Nope' }) })).status).toBe(404);
    const started = await call(first.url, '/v1/nightly/run', tokens.readWrite, { method: 'POST', body: '{}' });
    expect(started.status).toBe(200);
    expect(await started.json()).toEqual({ started: [{ id: 'personen', name: 'Personen abgleichen' }] });
    let status = NightlyStatusSchema.parse(await (await call(first.url, '/v1/nightly', tokens.readOnly)).json());
    for (let i = 0; i < 200 && (status.busy || status.lastResults.length === 0); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = NightlyStatusSchema.parse(await (await call(first.url, '/v1/nightly', tokens.readOnly)).json());
    }
    // Never simulated: the run links and updates, and holds the imports back for a simulation.
    expect(status.lastResults).toEqual([expect.objectContaining({ jobId: 'personen', status: 'succeeded', trigger: 'runNow', heldBack: expect.objectContaining({ message: expect.objectContaining({ key: 'nightly.beyondSimulation' }) }) })]);
    for (let i = 0; i < 100 && notices.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(notices).toEqual([expect.objectContaining({ event: 'optigem-sync.nightly', jobId: 'personen', status: 'succeeded', reasonKey: 'nightly.beyondSimulation', heldBack: status.lastResults[0]?.heldBack?.count })]);
    await first.close();

    // Restarted on the same database: the last results are still there.
    const second = await startBridge(options);
    bridges.push(second);
    const again = NightlyStatusSchema.parse(await (await call(second.url, '/v1/nightly', tokens.readOnly)).json());
    expect(again.lastResults).toEqual(status.lastResults);
    expect((await health(second.url)).nightly?.lastResults).toEqual([{ jobId: 'personen', executionId: status.lastResults[0]?.executionId, status: 'succeeded', at: status.lastResults[0]?.at }]);
    await new Promise<void>((resolve) => hook.close(() => resolve()));
  });

  it('says so when nightly runs are off', async () => {
    const b = await bridge({});
    const rw = b.tokens?.readWrite ?? '';
    const run = await fetch(`${b.url}/v1/nightly/run`, { method: 'POST', headers: { Authorization: `Bearer ${rw}`, 'Content-Type': 'application/json' }, body: '{}' });
    expect(run.status).toBe(409);
    expect(await run.json()).toMatchObject({ error: { code: 'nightlyOff', message: expect.stringMatching(/nightly\.enabled/) } });
    const status = await fetch(`${b.url}/v1/nightly`, { headers: { Authorization: `Bearer ${rw}` } });
    expect(NightlyStatusSchema.parse(await status.json())).toMatchObject({ enabled: false, lastResults: [] });
  });
});
