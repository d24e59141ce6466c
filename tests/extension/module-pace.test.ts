// A run started in the module paces its ChurchTools requests at the admin's setting (issue 12 §6),
// through the real backend, the real ChurchTools client over real HTTP against the stand-in and a
// real bridge. The pacer runs on a virtual clock: its waits advance the clock instead of passing,
// so the start times of the requests show the pace exactly, without waiting for it.
import { createPinia, setActivePinia } from 'pinia';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeClient } from '../../src/churchtools/node-client.ts';
import { createBrowserBackend } from '../../src/extension/services/backend.ts';
import { useBackendStore } from '../../src/extension/stores/backend.ts';
import { usePaceStore } from '../../src/extension/stores/pace.ts';
import { useRunsStore } from '../../src/extension/stores/runs.ts';
import { cliWorld, demoDocument, type CliWorld } from '../cli/helpers.ts';

const BURST = 5;

/** Virtual time for the pacer: sleeping moves the clock on at once. */
function virtualClock() {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
  };
}

let w: CliWorld;

beforeAll(async () => {
  w = await cliWorld();
  const imported = await w.cli(['import', w.file('demo.json', demoDocument(w.bridge.url)), '--store-token'], { OPTIGEM_BRIDGE_TOKEN: w.bridge.rw });
  expect(imported.code, imported.stderr).toBe(0);
});

afterAll(async () => {
  await w?.close();
});

describe('pace of a run in the module', () => {
  it('starts no more ChurchTools requests than the configured 120 per minute allow (after the burst of 5)', async () => {
    const client = createNodeClient(w.standIn.url, w.standIn.admin.loginToken);
    await client.loginWithToken(w.standIn.admin.loginToken);
    const clock = virtualClock();
    const starts: number[] = [];
    const backend = createBrowserBackend(client, { id: 1, firstName: 'Admin', lastName: 'Test' }, {
      http: {
        burst: BURST,
        now: clock.now,
        sleep: clock.sleep,
        onEvent: (event) => {
          if (event.type === 'request') starts.push(clock.now());
        },
      },
    });
    const pinia = createPinia();
    setActivePinia(pinia);
    useBackendStore(pinia).use(backend);

    expect(usePaceStore(pinia).save('120')).toBe(true);
    const report = await useRunsStore(pinia).run('personen');
    expect(report?.execution.status).toBe('succeeded');

    const count = starts.length;
    expect(count).toBeGreaterThan(BURST + 20);
    // After the burst, one request every 500 ms of (virtual) time: the last one starts exactly
    // when 120 per minute allow it (at the default of 300 it would be 200 ms each).
    const msPerRequest = 60_000 / 120;
    expect(starts.at(-1)).toBeGreaterThanOrEqual((count - BURST) * msPerRequest);
    expect(starts.at(-1)).toBeLessThan((count - BURST + 1) * msPerRequest);
    // And no minute holds more than the pace plus the burst.
    for (let i = 0; i < count; i++) {
      const inMinute = starts.filter((t) => t >= starts[i]! && t < starts[i]! + 60_000).length;
      expect(inMinute).toBeLessThanOrEqual(120 + BURST);
    }
  });

  it('applies a changed pace to the next run of the same tab', async () => {
    const client = createNodeClient(w.standIn.url, w.standIn.admin.loginToken);
    await client.loginWithToken(w.standIn.admin.loginToken);
    const clock = virtualClock();
    const starts: number[] = [];
    const backend = createBrowserBackend(client, { id: 1, firstName: 'Admin', lastName: 'Test' }, {
      requestsPerMinute: 120,
      http: { burst: BURST, now: clock.now, sleep: clock.sleep, onEvent: (e) => e.type === 'request' && void starts.push(clock.now()) },
    });
    const pinia = createPinia();
    setActivePinia(pinia);
    useBackendStore(pinia).use(backend);
    const runs = useRunsStore(pinia);

    expect((await runs.simulate('personen'))?.execution.status).toBe('succeeded');
    const first = starts.length;
    expect(usePaceStore(pinia).save(600)).toBe(true);
    expect((await runs.simulate('personen'))?.execution.status).toBe('succeeded');

    // Each run drains the bucket, so the waits between requests show the pace: 500 ms at 120
    // per minute, then 100 ms at 600.
    const gaps = (from: number, to: number) => starts.slice(from + 1, to).map((t, i) => t - starts[from + i]!);
    const before = gaps(BURST, first);
    const after = gaps(first, starts.length);
    expect(before.length).toBeGreaterThan(BURST);
    expect(after.length).toBeGreaterThan(BURST);
    expect(Math.max(...before)).toBe(500);
    expect(Math.max(...after)).toBe(100);
    expect(after.filter((gap) => gap === 100).length).toBeGreaterThan(after.length - BURST - 1);
  });
});
