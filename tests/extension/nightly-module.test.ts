// @vitest-environment happy-dom
// Issue 17 in the module: the overview's red flag for a job with automatic execution that needs a
// person (reason, what the engine said, the fix), and "Jetzt automatisch ausführen" on the job's
// run page with its busy / refused / started states. Real stores over the in-memory twins.
import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { BridgeError, type NightlyStatusBody } from '../../src/optigem/index.ts';
import { useBackendStore } from '../../src/extension/stores/backend.ts';
import { useConnectionsStore } from '../../src/extension/stores/connections.ts';
import { newJob } from '../../src/extension/stores/jobs.ts';
import { useNightlyStore } from '../../src/extension/stores/nightly.ts';
import JobRunView from '../../src/extension/views/JobRunView.vue';
import OverviewView from '../../src/extension/views/OverviewView.vue';
import { emptyCounters, type Execution } from '../../src/sync/model.ts';
import { createTwins, type Twins } from './ui-twins.ts';
import { mountAt } from './ui-mount.ts';

const DONOR_REFUSAL = { key: 'blocker.preflight.donorNotLinked', args: { donor: '4711', system: 'optigem', bookings: 3, booking: 'B-17' } };

interface BridgeScript {
  nightly?: () => Promise<NightlyStatusBody>;
  runNow?: (job?: string) => Promise<{ id: string; name: string }[]>;
}

/** The twin's bridge with its nightly answers replaced; counts run-now calls. */
function scriptBridge(twins: Twins, script: BridgeScript): { runNow: (string | undefined)[] } {
  const calls = { runNow: [] as (string | undefined)[] };
  const original = twins.backend.bridge;
  useBackendStore().use({
    ...twins.backend,
    bridge: (url, token) => ({
      ...original(url, token),
      ...(script.nightly ? { nightly: script.nightly } : {}),
      runNightlyNow: async (job?: string) => {
        calls.runNow.push(job);
        return script.runNow ? script.runNow(job) : [{ id: job ?? '', name: 'Nachts' }];
      },
    }),
  });
  return calls;
}

function status(lastResults: NightlyStatusBody['lastResults']): NightlyStatusBody {
  return { enabled: true, nextRun: new Date(Date.now() + 3_600_000).toISOString(), busy: false, window: { start: '00:00', end: '04:00' }, timeZone: 'UTC', lastResults };
}

async function setUp(twins: Twins, options: { token?: boolean } = {}): Promise<{ nightlyId: string; manualId: string; connectionId: string }> {
  const connections = useConnectionsStore();
  const connectionId = await connections.save({ name: 'Optigem', bridgeUrl: 'http://127.0.0.1:9/' });
  if (options.token !== false) await connections.saveToken(connectionId, 'secret-token-1234');
  const job = (name: string, autoRun: boolean) => ({ ...newJob(connectionId), name, actions: { link: { mode: 'newerWins' as const } }, propertyPairKeys: [], autoRun });
  const nightly = job('Nachts', true);
  const manual = job('Von Hand', false);
  await twins.storage.jobs.save(nightly, null);
  await twins.storage.jobs.save(manual, null);
  return { nightlyId: nightly.id, manualId: manual.id, connectionId };
}

function execution(jobId: string, connectionId: string, status: Execution['status'], extra: Partial<Execution> = {}): Execution {
  const startedAt = new Date(Date.now() - 10 * 3_600_000).toISOString();
  return { id: `exec-${jobId}`, jobId, connectionId, dryRun: false, status, startedAt, finishedAt: startedAt, counters: emptyCounters(), errorCount: 0, conflictCount: 0, ...extra };
}

describe('overview: red flag for automatic execution', () => {
  it('flags a refused nightly job with the reason, the refusal in words, the fix and a marker in its row — and not the manual job', async () => {
    const twins = createTwins();
    const { nightlyId, manualId, connectionId } = await setUp(twins);
    const refused = execution(nightlyId, connectionId, 'refused', { refusal: DONOR_REFUSAL });
    await twins.storage.executions.save(refused, null);
    await twins.storage.executions.save(execution(manualId, connectionId, 'refused', { id: 'exec-manual', refusal: DONOR_REFUSAL }), null);
    const at = new Date(Date.now() - 9 * 3_600_000).toISOString();
    scriptBridge(twins, {
      nightly: async () => status([{ jobId: nightlyId, jobName: 'Nachts', executionId: refused.id, status: 'refused', at, refusal: DONOR_REFUSAL, trigger: 'window' }]),
    });
    const wrapper = await mountAt(OverviewView, '/', twins);
    await vi.waitFor(async () => {
      await flushPromises();
      expect(wrapper.find('[data-test="nightly-flag"]').attributes('data-source')).toBe('bridge');
    });
    const flags = wrapper.findAll('[data-test="nightly-flag"]');
    expect(flags).toHaveLength(1);
    const flag = flags[0]!;
    expect(flag.attributes('data-reason')).toBe('refused');
    expect(flag.text()).toContain('Auftrag „Nachts“: Die automatische Ausführung wurde abgelehnt');
    // The refusal through the engine's catalogue, never its key.
    expect(flag.find('[data-test="nightly-flag-detail"]').text()).toContain('Spender Person #4711 aus Optigem ist mit keiner Person verknüpft');
    expect(flag.text()).not.toContain('blocker.preflight');
    expect(flag.find('[data-test="nightly-flag-fix"]').text()).toContain('Spender von Hand verknüpfen');
    expect(flag.find('[data-test="nightly-flag-fix"] a').attributes('href')).toContain(`/jobs/${nightlyId}/run`);
    // Not colour alone: a triangle hidden from screen readers, and words.
    expect(flag.find('[data-test="flag-icon"]').attributes('aria-hidden')).toBe('true');
    expect(flag.find('.os-sr-only').text()).toBe('Achtung:');
    expect(flag.find('[data-test="nightly-flag-fallback"]').exists()).toBe(false);
    const rows = Object.fromEntries(wrapper.findAll('[data-test="overview-job"]').map((row) => [row.find('th a').text(), row.find('[data-test="nightly-flag-marker"]')]));
    expect(rows['Nachts']?.text()).toBe('Nachts abgelehnt');
    expect(rows['Von Hand']?.exists()).toBe(false);
  });

  it('falls back to the executions in ChurchTools when the bridge is unreachable, and says so', async () => {
    const twins = createTwins();
    const { nightlyId, connectionId } = await setUp(twins);
    await twins.storage.executions.save(execution(nightlyId, connectionId, 'incomplete', { problems: [{ key: 'problem.readFailed', args: { detail: 'timeout' } }] }), null);
    scriptBridge(twins, {
      nightly: async () => {
        throw new BridgeError('unreachable', { url: 'http://127.0.0.1:9', detail: 'ECONNREFUSED' });
      },
    });
    const wrapper = await mountAt(OverviewView, '/', twins, 'en');
    await vi.waitFor(async () => {
      await flushPromises();
      expect(useNightlyStore().bridges[connectionId]?.state).toBe('failed');
    });
    const flag = wrapper.find('[data-test="nightly-flag"]');
    expect(flag.attributes('data-source')).toBe('churchtools');
    expect(flag.text()).toContain('Job “Nachts”: the automatic execution is incomplete');
    expect(flag.text()).toContain('The bridge was not reachable');
    expect(flag.find('[data-test="nightly-flag-fix"] a').attributes('href')).toContain(`/executions/exec-${nightlyId}`);
    // The generic "last execution incomplete" warning is not repeated for the flagged run.
    expect(wrapper.find('[data-test="warnings"]').exists()).toBe(true);
    expect(wrapper.findAll('[data-test="warnings"] li').map((li) => li.attributes('data-kind'))).not.toContain('incomplete');
  });

  it('flags a job that has not run for more than a day, with the bridge as the fix', async () => {
    const twins = createTwins();
    const { nightlyId, connectionId } = await setUp(twins);
    // Saved (switched on) before the run; the run is three days old.
    const old = new Date(Date.now() - 3 * 24 * 3_600_000).toISOString();
    await twins.storage.executions.save(execution(nightlyId, connectionId, 'succeeded', { startedAt: old, finishedAt: old }), null);
    scriptBridge(twins, { nightly: async () => status([]) });
    const store = useNightlyStore();
    const wrapper = await mountAt(OverviewView, '/', twins);
    await vi.waitFor(async () => {
      await flushPromises();
      expect(store.bridges[connectionId]?.state).toBe('known');
    });
    expect(wrapper.find('[data-test="nightly-flag"]').exists()).toBe(false);
    // Judged as if two more days had passed since the job was saved (switched on).
    store.now = new Date(Date.now() + 2 * 24 * 3_600_000);
    await flushPromises();
    const flag = wrapper.find('[data-test="nightly-flag"]');
    expect(flag.attributes('data-reason')).toBe('notRun');
    expect(flag.text()).toContain('Seit mehr als einem Tag nicht automatisch ausgeführt');
    expect(flag.find('[data-test="nightly-flag-fix"]').text()).toContain('Prüfen, ob die Bridge läuft');
  });
});

describe('job run page: "Jetzt automatisch ausführen"', () => {
  it('starts the job on the bridge and says so; only for jobs with automatic execution', async () => {
    const twins = createTwins();
    const { nightlyId, manualId } = await setUp(twins);
    const calls = scriptBridge(twins, {});
    const manual = await mountAt(JobRunView, `/jobs/${manualId}/run`, twins);
    await flushPromises();
    expect(manual.find('[data-test="nightly-run-now-button"]').exists()).toBe(false);
    manual.unmount();

    const wrapper = await mountAt(JobRunView, `/jobs/${nightlyId}/run`, twins);
    useNightlyStore().follow.maxPolls = 0;
    await vi.waitFor(async () => {
      await flushPromises();
      expect(wrapper.find('[data-test="nightly-run-now-button"]').exists()).toBe(true);
    });
    expect(wrapper.find('[data-test="nightly-run-now-button"]').text()).toBe('Jetzt automatisch ausführen');
    await wrapper.find('[data-test="nightly-run-now-button"]').trigger('click');
    await flushPromises();
    expect(calls.runNow).toEqual([nightlyId]);
    expect(wrapper.find('[data-test="nightly-run-now-started"]').text()).toContain('Gestartet: Die Bridge führt „Nachts“ jetzt aus.');
  });

  it('says "läuft schon" when the bridge is busy, with the bridge\'s words behind Technische Details', async () => {
    const twins = createTwins();
    const { nightlyId } = await setUp(twins);
    scriptBridge(twins, {
      runNow: async () => {
        throw new BridgeError('conflict', { url: 'http://127.0.0.1:9', status: 409, code: 'nightlyBusy', detail: 'A nightly pass is running; try again when it has finished.' });
      },
    });
    const wrapper = await mountAt(JobRunView, `/jobs/${nightlyId}/run`, twins);
    await vi.waitFor(async () => {
      await flushPromises();
      expect(wrapper.find('[data-test="nightly-run-now-button"]').exists()).toBe(true);
    });
    await wrapper.find('[data-test="nightly-run-now-button"]').trigger('click');
    await flushPromises();
    const alert = wrapper.find('[data-test="nightly-run-now-refused"]');
    expect(alert.attributes('role')).toBe('alert');
    expect(alert.text()).toContain('läuft schon');
    expect(alert.find('[data-test="technical-details"] summary').text()).toBe('Technische Details');
    expect(alert.find('[data-test="technical-details"]').text()).toContain('A nightly pass is running');
  });

  it('names an unknown job and a rejected token in the admin\'s language', async () => {
    const twins = createTwins();
    const { nightlyId } = await setUp(twins);
    let failure: BridgeError = new BridgeError('notFound', { url: 'http://127.0.0.1:9', status: 404, code: 'notFound', detail: 'No job with automatic execution is called "x"' });
    scriptBridge(twins, {
      runNow: async () => {
        throw failure;
      },
    });
    const wrapper = await mountAt(JobRunView, `/jobs/${nightlyId}/run`, twins, 'en');
    await vi.waitFor(async () => {
      await flushPromises();
      expect(wrapper.find('[data-test="nightly-run-now-button"]').exists()).toBe(true);
    });
    expect(wrapper.find('[data-test="nightly-run-now-button"]').text()).toBe('Run automatically now');
    await wrapper.find('[data-test="nightly-run-now-button"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="nightly-run-now-refused"]').text()).toContain('The bridge does not know “Nachts” as a job with automatic execution');
    failure = new BridgeError('readOnlyToken', { url: 'http://127.0.0.1:9', status: 403, code: 'forbidden', detail: 'read-only token' });
    await wrapper.find('[data-test="nightly-run-now-button"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="nightly-run-now-refused"]').text()).toContain('read-write token');
  });

  it('is not offered to someone who cannot read the bridge token', async () => {
    const twins = createTwins();
    const { nightlyId } = await setUp(twins, { token: false });
    const wrapper = await mountAt(JobRunView, `/jobs/${nightlyId}/run`, twins);
    await flushPromises();
    await flushPromises();
    expect(wrapper.find('[data-test="simulate"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="nightly-run-now"]').exists()).toBe(false);
  });
});
