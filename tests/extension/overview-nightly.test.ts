// @vitest-environment happy-dom
// The overview's "next automatic run": from the bridge's health, once per connection and load.
import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { Health } from '../../src/optigem/index.ts';
import { useBackendStore } from '../../src/extension/stores/backend.ts';
import { useConnectionsStore } from '../../src/extension/stores/connections.ts';
import { newJob } from '../../src/extension/stores/jobs.ts';
import OverviewView from '../../src/extension/views/OverviewView.vue';
import { createTwins, type Twins } from './ui-twins.ts';
import { mountWithApp } from './ui-mount.ts';

const HEALTH: Health = { status: 'ok', version: '1.2.3', apiVersion: 'v1', store: 'sqlite', serverTime: '2026-01-01T00:00:00Z' };

/** The twin's bridge, answering health with `health` (or failing) and counting the calls. */
function withHealth(twins: Twins, health: () => Promise<Health>): { calls: number } {
  const counter = { calls: 0 };
  const original = twins.backend.bridge;
  useBackendStore().use({
    ...twins.backend,
    bridge: (url, token) => ({
      ...original(url, token),
      health: () => {
        counter.calls++;
        return health();
      },
    }),
  });
  return counter;
}

async function setUp(twins: Twins): Promise<void> {
  const connections = useConnectionsStore();
  const id = await connections.save({ name: 'Optigem', bridgeUrl: 'http://127.0.0.1:9/' });
  await connections.saveToken(id, 'secret-token-1234');
  const job = (name: string, autoRun: boolean) => ({ ...newJob(id), name, actions: { link: { mode: 'newerWins' as const } }, propertyPairKeys: [], autoRun });
  await twins.storage.jobs.save(job('Nachts', true), null);
  await twins.storage.jobs.save(job('Von Hand', false), null);
}

function nextRunCells(wrapper: ReturnType<typeof mountWithApp>): Record<string, string> {
  return Object.fromEntries(wrapper.findAll('[data-test="overview-job"]').map((row) => [row.find('th a').text(), row.find('[data-test="next-run"]').text()]));
}

describe('overview: next automatic run', () => {
  it('shows the nightly runner\'s next run for jobs with automatic execution, and "–" for the others', async () => {
    const twins = createTwins();
    await setUp(twins);
    const counter = withHealth(twins, async () => ({ ...HEALTH, nightly: { nextRun: '2026-01-02T01:30:00Z', lastResults: [] } }));
    const wrapper = mountWithApp(OverviewView, {}, twins);
    await vi.waitFor(async () => {
      await flushPromises();
      expect(nextRunCells(wrapper)['Nachts']).not.toBe('Wird geladen …');
      expect(nextRunCells(wrapper)['Nachts']).toMatch(/2026/);
    });
    const expected = new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date('2026-01-02T01:30:00Z'));
    expect(nextRunCells(wrapper)).toEqual({ Nachts: expected, 'Von Hand': '–' });
    expect(counter.calls).toBe(1);
  });

  it('says that automatic runs need the nightly runner when the bridge has none', async () => {
    const twins = createTwins();
    await setUp(twins);
    withHealth(twins, async () => HEALTH);
    const wrapper = mountWithApp(OverviewView, {}, twins);
    await vi.waitFor(async () => {
      await flushPromises();
      expect(nextRunCells(wrapper)['Nachts']).toContain('Nacht-Lauf der Bridge');
    });
    expect(nextRunCells(wrapper)['Nachts']).toMatch(/^–/);
    expect(nextRunCells(wrapper)['Von Hand']).toBe('–');
  });

  it('shows a failing health request quietly, without an alert', async () => {
    const twins = createTwins();
    await setUp(twins);
    withHealth(twins, async () => {
      throw new Error('offline');
    });
    const wrapper = mountWithApp(OverviewView, {}, twins);
    await vi.waitFor(async () => {
      await flushPromises();
      expect(nextRunCells(wrapper)['Nachts']).toBe('– (Bridge nicht erreichbar)');
    });
    expect(wrapper.find('[role="alert"]').exists()).toBe(false);
  });
});
