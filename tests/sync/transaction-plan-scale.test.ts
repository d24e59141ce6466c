/**
 * The transaction planner at a size where its data structures matter (issue 12 §7): a
 * generated fiscal year of 3,000 bookings per side with every case of actions 1–3 in it —
 * existing pairs, matches, duplicates on either side, bookings whose match is already paired,
 * bookings outside the job's conditions. The plan (operations, log entries, blockers) is pinned
 * by counts and by a hash of its full content, so that restructuring the planner for speed
 * cannot change what it plans.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { donorMapping, withDonorMapping } from '../../src/sync/donors.ts';
import type { Condition, Pair, SyncRecord, SystemId } from '../../src/sync/model.ts';
import type { Plan } from '../../src/sync/plan.ts';
import { planJob, type PlanInput } from '../../src/sync/planner.ts';
import { type BookingIndex, BookingValues, planTransactions } from '../../src/sync/transaction-planner.ts';
import { CT_REFERENCES, OG_REFERENCES, TX_PAIRS, ctBooking, ogBooking, txJob } from './transaction-fixtures.ts';

const SIZE = 3_000;
const DONORS = 200;
const personPairs: Pair[] = Array.from({ length: DONORS }, (_, i) => ({ ct: String(1 + i), og: String(10_000 + i), status: 'synced', fp: '', at: 0 }));
const propertyPairs = withDonorMapping(TX_PAIRS, donorMapping(personPairs, { spouses: {}, couples: [] }));

/** Booking number `n` as either side holds it; equal `n` means all matching fields are equal. */
function booking(n: number, side: 'ct' | 'og', id: string): SyncRecord {
  const values = {
    date: `2026-${String(1 + (n % 12)).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}`,
    cents: 1_000 + (n % 500) * 100,
    doc: `D-${n}`,
    text: n % 7 === 0 ? 'Kollekte' : 'Spende',
    project: n % 3 === 0 ? '20' : '10',
  };
  const modifiedAt = new Date(Date.UTC(2026, 0, 1) + (side === 'ct' ? n : 2 * n) * 1000).toISOString();
  return side === 'ct'
    ? { id, modifiedAt, properties: ctBooking({ ...values, donor: String(1 + (n % DONORS)) }) }
    : { id, modifiedAt, properties: ogBooking({ ...values, donor: String(10_000 + (n % DONORS)) }) };
}

/**
 * Per booking number n < SIZE: a tenth already paired, most of the rest on both sides, one in
 * eleven only in Optigem and one in thirteen only in ChurchTools; every 97th twice in Optigem,
 * every 89th twice in ChurchTools; every 50th paired booking has a second, unpaired copy in
 * ChurchTools (its match exists, nothing is exported). Ids are not in id order on purpose.
 */
function world(conditions: { ct?: Condition[]; og?: Condition[] } = {}): PlanInput {
  const ct: SyncRecord[] = [];
  const og: SyncRecord[] = [];
  const pairs: Pair[] = [];
  for (let n = 0; n < SIZE; n++) {
    const ctId = String(SIZE - n);
    const ogId = `og-${n}`;
    const onlyOg = n % 11 === 5;
    const onlyCt = !onlyOg && n % 13 === 6;
    if (!onlyOg) ct.push(booking(n, 'ct', ctId));
    if (!onlyCt) og.push(booking(n, 'og', ogId));
    if (n % 10 === 0 && !onlyOg && !onlyCt) {
      pairs.push({ ct: ctId, og: ogId, status: 'synced', fp: '', at: 0 });
      if (n % 50 === 0) ct.push(booking(n, 'ct', String(SIZE + n + 1)));
    }
    if (n % 97 === 1) og.push(booking(n, 'og', `og-dup-${n}`));
    if (n % 89 === 2) ct.push(booking(n, 'ct', String(2 * SIZE + n)));
  }
  return {
    job: txJob(
      {
        link: { mode: 'newerWins' },
        import: { defaults: {} },
        export: { defaults: {} },
        updateProperties: { conflictProtection: true },
        deleteInChurchTools: {},
        deleteInOptigem: {},
      },
      conditions,
    ),
    propertyPairs,
    records: { churchtools: { records: ct, complete: true, problems: [] }, optigem: { records: og, complete: true, problems: [] } },
    identity: { churchtools: { firstName: 'x', lastName: 'x' }, optigem: { firstName: 'x', lastName: 'x' } },
    pairs,
    references: { churchtools: CT_REFERENCES, optigem: OG_REFERENCES },
  };
}

function summary(plan: Plan) {
  const count = (keys: readonly string[]) => {
    const counts: Record<string, number> = {};
    for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
    return counts;
  };
  return {
    operations: count(plan.operations.map((op) => `${op.action}:${op.op}`)),
    entries: count(plan.entries.map((entry) => entry.message.key)),
    blockers: plan.blockers.length,
    content: createHash('sha256').update(JSON.stringify([plan.operations, plan.entries, plan.blockers])).digest('hex').slice(0, 16),
  };
}

describe('transaction plan of a generated fiscal year (3,000 bookings per side)', () => {
  it('links equal bookings, imports and exports the rest, and reports duplicates and existing matches', () => {
    expect(summary(planJob(world()))).toEqual({
      operations: { 'link:link': 2224, 'import:create': 272, 'export:create': 209, 'pairs:pair': 252 },
      entries: { 'log.link.linked': 2224, 'log.link.bookingDuplicate': 48, 'log.create.created': 481, 'log.create.bookingExists': 201, 'log.pair.synced': 252 },
      blockers: 0,
      content: '424fb55243b6bc39',
    });
  });

  it('takes candidates only from records meeting their conditions, matches among all', () => {
    const conditions = { og: [{ field: 'project', values: ['20'] }], ct: [{ field: 'documentDate', values: ['2026-01-01'] }] };
    expect(summary(planJob(world(conditions)))).toEqual({
      operations: { 'link:link': 745, 'import:create': 91, 'export:create': 3, 'pairs:pair': 83 },
      entries: { 'log.link.linked': 745, 'log.link.bookingDuplicate': 14, 'log.create.created': 94, 'log.create.bookingExists': 23, 'log.pair.synced': 83 },
      blockers: 0,
      content: '9007f87bbae849d2',
    });
  });
});

/** Counts how often a plan indexes a system's bookings by their matching key. */
class CountingValues extends BookingValues {
  readonly built: SystemId[] = [];
  protected override build(system: SystemId): BookingIndex {
    this.built.push(system);
    return super.build(system);
  }
}

describe('transaction planner indexes', () => {
  it('indexes each system once per plan, however many actions match against it', () => {
    const input = world();
    let values: CountingValues | undefined;
    const plan = planTransactions(input, (pairs, records) => (values = new CountingValues(pairs, records)));
    expect(plan.operations.length).toBeGreaterThan(2_000);
    expect(values?.built.sort()).toEqual(['churchtools', 'optigem']);
  });
});
