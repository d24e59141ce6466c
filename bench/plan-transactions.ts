/**
 * Plans a transaction job with all eight actions over 20,000 ChurchTools and 20,000 Optigem
 * bookings of one fiscal year (issue #6: "20,000 bookings planned in well under a second"):
 * - first sync: half the bookings identical on both sides (10,000 links), a quarter only in
 *   Optigem (5,000 imports), a quarter only in ChurchTools (5,000 exports);
 * - nightly: everything linked and in sync, 1 % of the booking texts changed in Optigem.
 * Ids are integers in id order, as both systems deliver them.
 * Run: `npm run bench:transactions` (20,000), `npm run bench:transactions -- --bookings 150000`;
 * `--only first|nightly` plans one scenario, `--runs N` measures N runs (median printed) and also
 * prints the heap used after a run's plan is built.
 */
import { parseArgs } from 'node:util';
import { donorMapping, withDonorMapping } from '../src/sync/donors.ts';
import { fieldStates } from '../src/sync/field-sync.ts';
import { encodeFingerprint, valueHash } from '../src/sync/fingerprint.ts';
import type { Pair, SyncRecord } from '../src/sync/model.ts';
import type { Plan } from '../src/sync/plan.ts';
import { planJob, type PlanInput } from '../src/sync/planner.ts';
import { CT_REFERENCES, OG_REFERENCES, TX_PAIRS, ctBooking, ogBooking, txJob } from '../tests/sync/transaction-fixtures.ts';

const { values: flags, positionals } = parseArgs({
  options: { bookings: { type: 'string' }, only: { type: 'string' }, runs: { type: 'string' } },
  allowPositionals: true,
});
const SIZE = Number(flags.bookings ?? positionals[0] ?? 20_000);
const RUNS = Number(flags.runs ?? 5);
const DONORS = 2_000;

const personPairs: Pair[] = Array.from({ length: DONORS }, (_, i) => ({ ct: String(1 + i), og: String(10_000 + i), status: 'synced', fp: '', at: 0 }));
const propertyPairs = withDonorMapping(TX_PAIRS, donorMapping(personPairs, { spouses: {}, couples: [] }));

/**
 * Both sides deliver bookings with integer ids in id order [I: Optigem's booking ids are
 * integers and the bridge reads them in id order; ChurchTools transaction ids are integers],
 * so booking number `i` gets the id `i + 1` in ChurchTools and `OG_IDS + i + 1` in Optigem.
 */
const OG_IDS = 1_000_000;

function booking(i: number, side: 'ct' | 'og', text = 'Spende'): SyncRecord {
  const values = {
    date: `2026-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
    cents: 1_000 + (i % 500) * 100,
    doc: `D-${i}`,
    text,
    project: i % 3 === 0 ? '20' : '10',
  };
  const modifiedAt = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
  return side === 'ct'
    ? { id: String(i + 1), modifiedAt, properties: ctBooking({ ...values, donor: String(1 + (i % DONORS)) }) }
    : { id: String(OG_IDS + i + 1), modifiedAt, properties: ogBooking({ ...values, donor: String(10_000 + (i % DONORS)) }) };
}

const everything = txJob({
  link: { mode: 'newerWins' },
  import: { defaults: {} },
  export: { defaults: {} },
  updateProperties: { conflictProtection: true },
  deleteInChurchTools: {},
  deleteInOptigem: {},
});

function input(ct: SyncRecord[], og: SyncRecord[], pairs: Pair[]): PlanInput {
  return {
    job: everything,
    propertyPairs,
    records: { churchtools: { records: ct, complete: true, problems: [] }, optigem: { records: og, complete: true, problems: [] } },
    identity: { churchtools: { firstName: 'x', lastName: 'x' }, optigem: { firstName: 'x', lastName: 'x' } },
    pairs,
    references: { churchtools: CT_REFERENCES, optigem: OG_REFERENCES },
  };
}

function firstSync(): PlanInput {
  const ct: number[] = [];
  const og: number[] = [];
  for (let i = 0; i < SIZE; i++) {
    if (i < SIZE / 2) {
      ct.push(i);
      og.push(i);
    } else if (i < (3 * SIZE) / 4) og.push(i, i + SIZE);
    else ct.push(i, i + SIZE);
  }
  // Delivered in id order, as the systems read them.
  const inOrder = (numbers: number[], side: 'ct' | 'og') => numbers.sort((a, b) => a - b).map((i) => booking(i, side));
  return input(inOrder(ct, 'ct'), inOrder(og, 'og'), []);
}

function nightly(): PlanInput {
  const ct: SyncRecord[] = [];
  const og: SyncRecord[] = [];
  const pairs: Pair[] = [];
  for (let i = 0; i < SIZE; i++) {
    const c = booking(i, 'ct');
    const o = booking(i, 'og');
    const hashes = new Map<string, string>();
    for (const state of fieldStates(propertyPairs, c, o)) hashes.set(state.pair.key, valueHash(state.comparable.churchtools));
    pairs.push({ ct: c.id, og: o.id, status: 'synced', fp: encodeFingerprint(hashes), at: 0 });
    ct.push(c);
    og.push(i % 100 === 0 ? { ...booking(i, 'og', 'Spende (korrigiert)'), modifiedAt: '2026-06-01T00:00:00Z' } : o);
  }
  return input(ct, og, pairs);
}

/** Heap in use now, in MB, after a full collection when node runs with --expose-gc. */
function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1e6;
}

function measure(name: string, planInput: PlanInput): void {
  planJob(planInput);
  const runs: { wall: number; cpu: number; heap: number; kept: number }[] = [];
  let plan: Plan | undefined = planJob(planInput);
  for (let i = 0; i < RUNS; i++) {
    plan = undefined;
    const before = heapMb();
    const cpu = process.cpuUsage();
    const start = performance.now();
    plan = planJob(planInput);
    const wall = performance.now() - start;
    const used = process.cpuUsage(cpu);
    // Right after planning: the plan and whatever garbage was not collected yet (without
    // --expose-gc, `before` holds garbage too). `kept`: the plan alone, after a collection.
    const heap = process.memoryUsage().heapUsed / 1e6 - before;
    runs.push({ wall, cpu: (used.user + used.system) / 1000, heap, kept: heapMb() - before });
  }
  if (!plan) return;
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const counts = new Map<string, number>();
  for (const op of plan.operations) counts.set(op.op, (counts.get(op.op) ?? 0) + 1);
  console.log(
    `${name}: ${SIZE.toLocaleString('en')} bookings per side, median of ${RUNS}: ${median(runs.map((r) => r.wall)).toFixed(0)} ms wall, ${median(runs.map((r) => r.cpu)).toFixed(0)} ms CPU; ` +
      `heap +${median(runs.map((r) => r.heap)).toFixed(0)} MB right after planning, the plan itself ${median(runs.map((r) => r.kept)).toFixed(0)} MB; ` +
      `${[...counts].map(([op, n]) => `${n} ${op}`).join(', ')}; ${plan.blockers.length} blockers; digest ${plan.digest}`,
  );
}

if (flags.only !== 'nightly') measure('first sync', firstSync());
if (flags.only !== 'first') measure('nightly', nightly());
