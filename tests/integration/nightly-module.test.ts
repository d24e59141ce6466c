/**
 * Issue 17 end to end over real HTTP: the module's stores (real ChurchTools storage on the
 * stand-in, the real bridge client) start a job on a running bridge with nightly runs ("Jetzt
 * automatisch ausführen"), follow it to its end and then show it on the overview's red flag —
 * the demo job was never simulated, so the run holds its imports back and says so.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPinia, setActivePinia } from 'pinia';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startStandIn, type StandIn } from '../../dev/standin/server.ts';
import { createTempDemoDatabase, startBridge, type RunningBridge, type TempDatabase } from '../../src/bridge/index.ts';
import { createChurchTools, type ChurchTools } from '../../src/churchtools/index.ts';
import { createNodeClient } from '../../src/churchtools/node-client.ts';
import { main } from '../../src/cli/main.ts';
import type { SyncBackend } from '../../src/extension/services/backend.ts';
import { BridgeClient, OptigemSystemPort } from '../../src/optigem/index.ts';
import { useBackendStore } from '../../src/extension/stores/backend.ts';
import { useConnectionsStore } from '../../src/extension/stores/connections.ts';
import { useExecutionsStore } from '../../src/extension/stores/executions.ts';
import { useJobsStore } from '../../src/extension/stores/jobs.ts';
import { useNightlyStore } from '../../src/extension/stores/nightly.ts';
import { usePermissionsStore } from '../../src/extension/stores/permissions.ts';
import { CT_ORIGIN } from '../bridge/helpers.ts';
import { FAST_HTTP } from '../churchtools/helpers.ts';
import { demoDocument } from '../cli/helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'nightly-module-'));
let standIn: StandIn;
let db: TempDatabase;
let bridge: RunningBridge;
let ct: ChurchTools;

/** HH:MM in UTC, `minutes` from now: a window that is not open, so only "run now" runs anything. */
const hhmm = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString().slice(11, 16);

beforeAll(async () => {
  standIn = await startStandIn();
  db = await createTempDemoDatabase();
  bridge = await startBridge({
    databasePath: db.path,
    allowedOrigins: [CT_ORIGIN],
    nightly: { enabled: true, churchToolsUrl: standIn.url, window: { start: hhmm(120), end: hhmm(180) }, timeZone: 'UTC' },
    nightlyLoginToken: standIn.admin.loginToken,
    nightlyTesting: { http: FAST_HTTP },
  });
  // The admin's connection and the demo's autoRun job, as `optigem-sync import --store-token` stores them.
  const file = join(dir, 'jobs.json');
  writeFileSync(file, JSON.stringify(demoDocument(bridge.url)));
  let stderr = '';
  const code = await main(['import', file, '--store-token'], {
    stdout: { write: () => undefined },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env: { CT_URL: standIn.url, CT_TOKEN: standIn.admin.loginToken, OPTIGEM_BRIDGE_TOKEN: bridge.tokens?.readWrite ?? '', LANG: 'en_GB.UTF-8' },
    cwd: dir,
    churchToolsHttp: FAST_HTTP,
  });
  expect(code, stderr).toBe(0);
  const client = createNodeClient(standIn.url, standIn.admin.loginToken);
  await client.post('/login', { username: standIn.admin.username, password: standIn.admin.password });
  ct = createChurchTools(client, { http: FAST_HTTP });
});

afterAll(async () => {
  await bridge?.close();
  await standIn?.close();
  db?.remove();
  rmSync(dir, { recursive: true, force: true });
});

/** The module's backend as the browser builds it, over the real ChurchTools client and bridge client. */
function backend(): SyncBackend {
  return {
    storage: ct.storage,
    masterData: ct.masterData,
    finance: ct.finance,
    loadPermissions: () => ct.permissions.load(),
    churchToolsPort: () => ct.persons,
    bridge: (url, token) => new BridgeClient({ baseUrl: url, token }),
    optigemPort: (connection, token) => new OptigemSystemPort(new BridgeClient({ baseUrl: connection.bridgeUrl, token })),
    owner: 'test:Admin:0001',
  };
}

async function stores() {
  setActivePinia(createPinia());
  useBackendStore().use(backend());
  const connections = useConnectionsStore();
  const jobs = useJobsStore();
  const executions = useExecutionsStore();
  await Promise.all([connections.load(true), jobs.load(true), executions.load(true), usePermissionsStore().load()]);
  const nightly = useNightlyStore();
  nightly.follow.intervalMs = 50;
  return { connections, jobs, executions, nightly };
}

describe('run now from the module, against a real bridge', () => {
  it('lets the extension\'s origin send the POST (CORS preflight like the other bridge routes)', async () => {
    const preflight = await fetch(`${bridge.url}/v1/nightly/run`, {
      method: 'OPTIONS',
      headers: { Origin: CT_ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization, content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(CT_ORIGIN);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization');
  });

  it('starts the job, follows it to its end, and the overview then flags what it held back', async () => {
    const { jobs, executions, nightly } = await stores();
    const job = jobs.byId('personen')?.data;
    expect(job?.autoRun).toBe(true);
    expect(nightly.mayRunNow(job!)).toBe(true);
    await nightly.load();
    expect(nightly.bridges['optigem']).toMatchObject({ state: 'known', status: { enabled: true, busy: false, lastResults: [] } });
    // Just saved, never run: nothing to flag yet.
    expect(nightly.flags).toEqual([]);

    const before = standIn.requests.length;
    expect(await nightly.start('personen')).toMatchObject({ state: 'started' });
    await vi.waitFor(() => expect(nightly.runNow['personen']?.state).toBe('finished'), { timeout: 60_000, interval: 50 });
    // The browser only asked the bridge; the run itself went from the bridge to ChurchTools.
    expect(standIn.requests.slice(before).some((r) => r.path.includes('/logout'))).toBe(true);

    const finished = nightly.runNow['personen'];
    expect(finished?.state === 'finished' && finished.result).toMatchObject({ jobId: 'personen', status: 'succeeded', trigger: 'runNow' });
    const run = executions.latestKindByJob['personen']?.run;
    expect(run).toMatchObject({ status: 'succeeded', dryRun: false });
    expect(nightly.flags).toEqual([
      expect.objectContaining({ jobId: 'personen', reason: 'heldBack', fix: 'simulateAgain', source: 'bridge', executionId: run?.id, detail: expect.objectContaining({ key: 'nightly.beyondSimulation' }) }),
    ]);
  });

  it('says why it cannot start: a read-only token, then an unreachable bridge', async () => {
    const { connections, nightly } = await stores();
    await connections.saveToken('optigem', bridge.tokens?.readOnly ?? '');
    const readOnly = await nightly.start('personen');
    expect(readOnly).toMatchObject({ state: 'refused', problem: { message: { key: 'nightlyHealth.runNow.readOnlyToken' } } });

    await connections.saveToken('optigem', bridge.tokens?.readWrite ?? '');
    await bridge.close();
    const unreachable = await nightly.start('personen');
    expect(unreachable).toMatchObject({ state: 'refused', problem: { message: { key: 'optigem.bridgeError.unreachable' } } });
    expect(unreachable.state === 'refused' && unreachable.problem.detail).toMatch(/reach/i);
    // The overview falls back to the runs stored in ChurchTools: the run by "run now" succeeded.
    await nightly.load();
    expect(nightly.bridges['optigem']?.state).toBe('failed');
    expect(nightly.flags).toEqual([]);
  });
});
