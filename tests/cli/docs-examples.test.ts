// The example job document of docs/job-format.md, followed literally on the demo parish: it
// imports, its person jobs simulate without refusal, and its booking job's simulation lists every
// blocker at once, grouped with a count per group (issue 15 §3, §5).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliWorld, type CliWorld } from './helpers.ts';

function exampleDocument(bridgeUrl: string): { jobs: { id: string; name: string; domain: string }[] } & Record<string, unknown> {
  const doc = readFileSync(new URL('../../docs/job-format.md', import.meta.url), 'utf8');
  const block = /## Complete example\s+```json\n([\s\S]*?)\n```/.exec(doc)?.[1];
  if (!block) throw new Error('docs/job-format.md has no complete example');
  const parsed = JSON.parse(block) as { connection: { bridgeUrl: string }; jobs: { id: string; name: string; domain: string }[] };
  // The only thing a reader changes: where their bridge listens.
  parsed.connection.bridgeUrl = bridgeUrl;
  return parsed;
}

let w: CliWorld;
beforeAll(async () => {
  w = await cliWorld();
}, 60_000);
afterAll(() => w?.close());

describe('the example job document of docs/job-format.md on the demo', () => {
  it('imports, and every person job simulates without refusal; the booking job names all its blockers at once', async () => {
    const doc = exampleDocument(w.bridge.url);
    const imported = await w.cli(['import', w.file('example.json', doc), '--store-token'], { OPTIGEM_BRIDGE_TOKEN: w.bridge.rw });
    expect(imported.code, imported.stderr).toBe(0);
    // docs/cli.md's order: the people first, then the jobs that build on their pairs.
    const people = await w.cli(['run', 'personen-abgleichen', '--json']);
    // It runs; the demo's namesakes with another e-mail wait for an admin's decision (exit 1).
    expect([people.code, (JSON.parse(people.stdout) as { outcome: string }).outcome], people.stderr).toEqual([1, 'possibleDuplicates']);
    for (const job of doc.jobs) {
      const simulated = await w.cli(['simulate', job.id, '--json']);
      const report = JSON.parse(simulated.stdout) as { outcome: string; plan: { blockers: { key: string }[] } | null };
      if (job.domain === 'person') {
        expect([job.id, report.outcome, report.plan?.blockers]).toEqual([job.id, expect.not.stringMatching(/refused|preflight/i), []]);
        continue;
      }
      const text = (await w.cli(['simulate', job.id])).stdout;
      if (process.env['SHOW_CLI']) console.log(text.slice(0, 3000));
      const blockers = report.plan?.blockers ?? [];
      if (blockers.length === 0) continue;
      expect(text).toContain(`Refused by the pre-flight check, ${blockers.length} blocker`);
      // Every blocker is printed, not just the first.
      expect(text.split('\n').filter((line) => line.startsWith('    ✗ ')).length).toBe(blockers.length);
      expect(text).toMatch(/^ {2}\S.* \(\d+\)/m);
    }
  }, 240_000);
});
