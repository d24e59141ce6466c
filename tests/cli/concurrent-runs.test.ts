/**
 * Two runs of one job at the same time (issue 14 §2): 20 `optigem-sync run` processes of one job
 * by one ChurchTools user, their lock claims released together by the stand-in's starting gate.
 * Exactly one runs, the others are refused with "already running", nobody is created twice.
 * `npm run soak` repeats the trial (bench/soak-runs.ts).
 */
import { describe, expect, it } from 'vitest';
import { raceTrial } from './run-race.ts';

describe('runs of one job started together', () => {
  it('20 CLI processes of one user: exactly one runs, 19 are refused, 0 duplicates', async () => {
    const result = await raceTrial(20);
    const codes = result.exits.map((exit) => exit.code).sort();
    expect(codes, result.exits.map((exit) => exit.stderr).join('\n')).toEqual([1, ...Array<number>(19).fill(3)]);
    expect(result.ran).toBe(1);
    expect(result.refused).toBe(19);
    expect(result.storedRuns).toBe(1);
    expect(result.duplicates).toBe(0);
    expect(result.claimsLeft).toBe(0);
    for (const exit of result.exits.filter((e) => e.code === 3)) expect(exit.stderr).toMatch(/The job "Personen abgleichen" is already running \(since .+, by CLI \(/);
  }, 300_000);
});
