/**
 * The long version of tests/cli/concurrent-runs.test.ts: TRIALS trials (default 10) of PROCESSES
 * (default 20) `optigem-sync run` processes of one job started together. Prints per trial how
 * many ran, were refused, and were duplicated; exits 1 if any trial had not exactly one run or
 * any duplicate. Not part of `npm test` (minutes on a small machine): `npm run soak`.
 */
import { raceTrial } from '../tests/cli/run-race.ts';

const trials = Number(process.env['TRIALS'] ?? 10);
const processes = Number(process.env['PROCESSES'] ?? 20);
let bad = 0;
let totals = { ran: 0, refused: 0, duplicates: 0, other: 0 };
for (let trial = 1; trial <= trials; trial++) {
  const started = Date.now();
  const result = await raceTrial(processes);
  const other = processes - result.ran - result.refused;
  totals = { ran: totals.ran + result.ran, refused: totals.refused + result.refused, duplicates: totals.duplicates + result.duplicates, other: totals.other + other };
  const ok = result.ran === 1 && result.refused === processes - 1 && result.duplicates === 0 && result.storedRuns === 1;
  if (!ok) bad++;
  console.log(`trial ${trial}/${trials}: ran ${result.ran}, refused ${result.refused}, other ${other}, stored runs ${result.storedRuns}, duplicates ${result.duplicates}, claims left ${result.claimsLeft} (${Math.round((Date.now() - started) / 1000)} s)${ok ? '' : '  ← FAILED'}`);
  if (other > 0) for (const exit of result.exits.filter((e) => e.code !== 0 && e.code !== 3)) console.log(`  exit ${exit.code}: ${exit.stderr.slice(0, 300)}`);
}
console.log(`${trials} trials × ${processes} processes: ran ${totals.ran}, refused ${totals.refused}, other ${totals.other}, duplicates ${totals.duplicates}; failed trials ${bad}`);
process.exit(bad > 0 ? 1 : 0);
