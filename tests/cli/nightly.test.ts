/**
 * `optigem-sync nightly [--now [job]]` against a running bridge with nightly runs (real HTTP, the
 * ChurchTools stand-in behind it): last results, run now with its results and exit codes, and
 * each refusal an operator meets — read-only token, unknown job, a pass going on, nightly off.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startStandIn, type StandIn } from '../../dev/standin/server.ts';
import { createTempDemoDatabase, startBridge, type RunningBridge, type TempDatabase } from '../../src/bridge/index.ts';
import { main } from '../../src/cli/main.ts';
import { BridgeClient } from '../../src/optigem/index.ts';
import { FAST_HTTP } from '../churchtools/helpers.ts';
import { demoDocument } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'cli-nightly-'));
let standIn: StandIn;
const temps: TempDatabase[] = [];
let bridge: RunningBridge;
let rw = '';
let ro = '';

const hhmm = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString().slice(11, 16);

async function cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env: { CT_URL: standIn.url, CT_TOKEN: standIn.admin.loginToken, OPTIGEM_BRIDGE_TOKEN: rw, LANG: 'en_GB.UTF-8' },
    cwd: dir,
    churchToolsHttp: FAST_HTTP,
    nightlyPollMs: 20,
  });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  standIn = await startStandIn();
  const db = await createTempDemoDatabase();
  temps.push(db);
  bridge = await startBridge({
    databasePath: db.path,
    nightly: { enabled: true, churchToolsUrl: standIn.url, window: { start: hhmm(120), end: hhmm(180) }, timeZone: 'UTC' },
    nightlyLoginToken: standIn.admin.loginToken,
    nightlyTesting: { http: FAST_HTTP },
  });
  rw = bridge.tokens?.readWrite ?? '';
  ro = bridge.tokens?.readOnly ?? '';
  const file = join(dir, 'jobs.json');
  writeFileSync(file, JSON.stringify(demoDocument(bridge.url)));
  const imported = await cli(['import', file, '--store-token']);
  expect(imported.code, imported.stderr).toBe(0);
});

afterAll(async () => {
  await bridge?.close();
  await standIn?.close();
  for (const temp of temps) temp.remove();
  rmSync(dir, { recursive: true, force: true });
});

describe('optigem-sync nightly', () => {
  it('shows the runner without results, with the read-only token', async () => {
    const shown = await cli(['nightly', '--bridge', bridge.url, '--bridge-token', ro]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('(UTC)');
    expect(shown.stdout).toContain('No results yet.');
  });

  it('refuses what an operator can fix: no bridge address, a read-only token, an unknown job, a job without --now', async () => {
    expect(await cli(['nightly'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--bridge URL') });
    expect(await cli(['nightly', '--bridge', bridge.url, '--bridge-token', ro, '--now'])).toMatchObject({ code: 2, stderr: expect.stringContaining('read-write token') });
    expect(await cli(['nightly', '--bridge', bridge.url, '--now', 'Nope'])).toMatchObject({ code: 2, stderr: expect.stringContaining('no job with automatic execution called "Nope"') });
    expect(await cli(['nightly', '--bridge', bridge.url, 'Personen abgleichen'])).toMatchObject({ code: 2, stderr: expect.stringContaining('only taken with --now') });
    expect(bridge.nightly?.nightly.status().lastResults).toEqual([]);
  });

  it('says "busy" (exit 3) while a pass is going on, and nothing else starts', async () => {
    // The started run waits at its first person read until the gate opens: the pass is certainly going on.
    standIn.faults.hold({ method: 'GET', pathPrefix: '/persons' }, 2, 30_000);
    const client = new BridgeClient({ baseUrl: bridge.url, token: rw });
    expect(await client.runNightlyNow('personen')).toEqual([{ id: 'personen', name: 'Personen abgleichen' }]);
    const busy = await cli(['nightly', '--bridge', bridge.url, '--now']);
    expect(busy.code).toBe(3);
    expect(busy.stderr).toContain('already running jobs');
    standIn.faults.clear();
    await vi.waitFor(async () => expect((await client.nightly()).busy).toBe(false), { timeout: 60_000, interval: 50 });
    expect((await client.nightly()).lastResults).toEqual([expect.objectContaining({ jobId: 'personen', trigger: 'runNow' })]);
  });

  it('runs now, waits and prints the result: held back imports of a never simulated job are exit 1', async () => {
    const before = (await new BridgeClient({ baseUrl: bridge.url, token: rw }).nightly()).lastResults[0]?.at;
    const ran = await cli(['nightly', '--bridge', bridge.url, '--now', 'Personen abgleichen']);
    expect(ran.stderr).toContain('Started: "Personen abgleichen"');
    expect(ran.stdout).toContain('Personen abgleichen (personen): succeeded');
    expect(ran.stdout).toContain('trigger runNow');
    expect(ran.stdout).toContain('more than the last simulation showed');
    expect(ran.code).toBe(1);
    const json = await cli(['nightly', '--bridge', bridge.url, '--json']);
    const status = JSON.parse(json.stdout) as { lastResults: { at: string; heldBack?: { count: number } }[] };
    expect(status.lastResults).toHaveLength(1);
    expect(status.lastResults[0]?.at).not.toBe(before);
    expect(status.lastResults[0]?.heldBack?.count).toBeGreaterThan(0);
  });

  it('says when nightly runs are off on the bridge (exit 2)', async () => {
    const db = await createTempDemoDatabase();
    temps.push(db);
    const off = await startBridge({ databasePath: db.path });
    try {
      const result = await cli(['nightly', '--bridge', off.url, '--bridge-token', off.tokens?.readWrite ?? '', '--now']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('nightly.enabled');
    } finally {
      await off.close();
    }
  });
});
