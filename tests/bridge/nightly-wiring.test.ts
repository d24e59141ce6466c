/**
 * The nightly runner inside the bridge: its configuration, and over real HTTP a bridge with
 * nightly runs enabled against the ChurchTools stand-in, showing them on /v1/health.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '../../dev/standin/server.ts';
import { HELP } from '../../src/bridge/cli.ts';
import { ConfigError, loadConfig, overridesFromEnv } from '../../src/bridge/config.ts';
import { createTempDemoDatabase, startBridge, type RunningBridge, type StartOptions, type TempDatabase } from '../../src/bridge/index.ts';
import { main } from '../../src/cli/main.ts';
import { HealthSchema, type Health } from '../../src/optigem/schemas.ts';
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
});
