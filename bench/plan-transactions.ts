/**
 * Plans a transaction job with all eight actions over 20,000 ChurchTools and 20,000 Optigem
 * bookings of one fiscal year (issue #6: "20,000 bookings planned in well under a second"):
 * - first sync: half the bookings identical on both sides (10,000 links), a quarter only in
 *   Optigem (5,000 imports), a quarter only in ChurchTools (5,000 exports);
 * - nightly: everything linked and in sync, 1 % of the booking texts changed in Optigem.
 * Run: `npm run bench:transactions`.
 */
import { donorMapping, withDonorMapping } from '../src/sync/donors.ts';
import { fieldStates } from '../src/sync/field-sync.ts';
import { encodeFingerprint, valueHash } from '../src/sync/fingerprint.ts';
import type { Pair, SyncRecord } from '../src/sync/model.ts';
import { planJob, type PlanInput } from '../src/sync/planner.ts';
import { CT_REFERENCES, OG_REFERENCES, TX_PAIRS, ctBooking, ogBooking, txJob } from '../tests/sync/transaction-fixtures.ts';

const SIZE = Number(process.argv[2] ?? 20_000);
const DONORS = 2_000;

const personPairs: Pair[] = Array.from({ length: DONORS }, (_, i) => ({ ct: String(1 + i), og: String(10_000 + i), status: 'synced', fp: '', at: 0 }));
const propertyPairs = withDonorMapping(TX_PAIRS, donorMapping(personPairs, { spouses: {}, couples: [] }));

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
    : { id: `og-${i}`, modifiedAt, properties: ogBooking({ ...values, donor: String(10_000 + (i % DONORS)) }) };
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
  const ct: SyncRecord[] = [];
  const og: SyncRecord[] = [];
  for (let i = 0; i < SIZE; i++) {
    if (i < SIZE / 2) {
      ct.push(booking(i, 'ct'));
      og.push(booking(i, 'og'));
    } else if (i < (3 * SIZE) / 4) og.push(booking(i, 'og'), booking(i + SIZE, 'og'));
    else ct.push(booking(i, 'ct'), booking(i + SIZE, 'ct'));
  }
  return input(ct, og, []);
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

function measure(name: string, planInput: PlanInput): void {
  planJob(planInput);
  const runs: { wall: number; cpu: number }[] = [];
  let plan = planJob(planInput);
  for (let i = 0; i < 5; i++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    plan = planJob(planInput);
    const wall = performance.now() - start;
    const used = process.cpuUsage(cpu);
    runs.push({ wall, cpu: (used.user + used.system) / 1000 });
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const counts = new Map<string, number>();
  for (const op of plan.operations) counts.set(op.op, (counts.get(op.op) ?? 0) + 1);
  console.log(
    `${name}: ${SIZE.toLocaleString('en')} bookings per side, median of 5: ${median(runs.map((r) => r.wall)).toFixed(0)} ms wall, ${median(runs.map((r) => r.cpu)).toFixed(0)} ms CPU; ` +
      `${[...counts].map(([op, n]) => `${n} ${op}`).join(', ')}; ${plan.blockers.length} blockers`,
  );
}

measure('first sync', firstSync());
measure('nightly', nightly());
