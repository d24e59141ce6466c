/**
 * The transaction planner: the spec's eight transaction actions (Financial Data, 2.1 and 2.2)
 * in their order — link & unify, import, export, update / import / export properties, delete in
 * ChurchTools, delete in Optigem — after the pre-flight. Maintaining and deleting pairs is the
 * same as for people (pair-actions.ts); what differs is matching: two bookings match when every
 * mapped field is identical, the donor excepted ("The exception is the donor IDs").
 */
import { comparable } from './mapping.ts';
import type { PropertyPair, SyncRecord, SystemId } from './model.ts';
import { otherSystem } from './model.ts';
import { archiveOrDelete, bothComplete, finish, maintainPairs, planCreate, unify } from './pair-actions.ts';
import type { Plan } from './plan.ts';
import type { PlanInput } from './plan-builder.ts';
import { PlanBuilder } from './plan-builder.ts';
import { preflight } from './transaction-preflight.ts';
import { validateJob } from './validate.ts';

export function planTransactions(input: PlanInput): Plan {
  const b = new PlanBuilder(input);
  for (const issue of validateJob(input.job, input.propertyPairs)) {
    b.blocker({ key: issue.message.key, args: { ...issue.message.args, path: issue.path } }, `validation|${issue.path}`);
  }
  if (b.blockers.length > 0) return finish(b);
  if (!input.references) {
    b.blocker({ key: 'blocker.preflight.noReferences' }, 'preflight|references');
    return finish(b);
  }
  const matcher = new BookingValues(input.propertyPairs);
  if (!preflight(b, input.references, matcher)) return finish(b);

  const actions = b.selectedActions();
    if (actions.has('link')) linkTransactions(b, matcher);
  if (actions.has('import')) createMissing(b, matcher, 'optigem', 'import');
  if (actions.has('export')) createMissing(b, matcher, 'churchtools', 'export');
  const maintain = (['updateProperties', 'importProperties', 'exportProperties'] as const).find((a) => actions.has(a));
  if (maintain) maintainPairs(b, maintain);
  archiveOrDelete(b, actions);
  return finish(b);
}

/**
 * The comparable form of every transaction property of a booking, computed once per plan: the
 * pre-flight, matching and creating all look at the same values of the same 40,000 bookings.
 * The matching key is every property pair of the connection but the donor, each compared in
 * that form ("all mapped fields", not just the job's selection).
 */
export class BookingValues {
  readonly pairs: readonly PropertyPair[];
  private readonly position: ReadonlyMap<string, number>;
  private readonly matchPositions: readonly number[];
  private readonly cache: Record<SystemId, WeakMap<SyncRecord, (string | undefined)[]>> = { churchtools: new WeakMap(), optigem: new WeakMap() };
  private readonly keys: Record<SystemId, WeakMap<SyncRecord, string>> = { churchtools: new WeakMap(), optigem: new WeakMap() };

  constructor(propertyPairs: readonly PropertyPair[]) {
    this.pairs = propertyPairs.filter((pair) => pair.domain === 'transaction');
    this.position = new Map(this.pairs.map((pair, index) => [pair.key, index]));
    this.matchPositions = this.pairs.flatMap((pair, index) => (pair.role === 'donor' ? [] : [index]));
  }

  /** The comparable value of one property pair of a booking. */
  of(record: SyncRecord, system: SystemId, pair: PropertyPair): string {
    const index = this.position.get(pair.key);
    return index === undefined ? comparable(pair, system, record.properties[pair[system]]) : this.at(record, system, index);
  }

  /** Filled field by field: a nightly pre-flight needs four of the nine values. */
  private at(record: SyncRecord, system: SystemId, index: number): string {
    return this.fill(this.row(record, system), record, system, index);
  }

  private row(record: SyncRecord, system: SystemId): (string | undefined)[] {
    let values = this.cache[system].get(record);
    if (!values) {
      values = new Array<string | undefined>(this.pairs.length);
      this.cache[system].set(record, values);
    }
    return values;
  }

  private fill(values: (string | undefined)[], record: SyncRecord, system: SystemId, index: number): string {
    let value = values[index];
    if (value === undefined) {
      const pair = this.pairs[index] as PropertyPair;
      value = comparable(pair, system, record.properties[pair[system]]);
      values[index] = value;
    }
    return value;
  }

  key(record: SyncRecord, system: SystemId): string {
    let key = this.keys[system].get(record);
    if (key === undefined) {
      const values = this.row(record, system);
      key = '';
      for (const index of this.matchPositions) key += `${this.fill(values, record, system, index)}\u001e`;
      this.keys[system].set(record, key);
    }
    return key;
  }

  index(records: Iterable<SyncRecord>, system: SystemId): Map<string, SyncRecord[]> {
    const index = new Map<string, SyncRecord[]>();
    for (const record of records) {
      const key = this.key(record, system);
      const list = index.get(key);
      if (list) list.push(record);
      else index.set(key, [record]);
    }
    return index;
  }

}

function candidateList(b: PlanBuilder, system: SystemId, records: readonly SyncRecord[]): string {
  return records.map((record) => `${b.label(system, record, record.id)} (#${record.id})`).join('; ');
}

/**
 * Action 1. Candidates are unpaired bookings meeting their own system's conditions; the match
 * is searched among all unpaired bookings of the other system. Two or more equal bookings on
 * either side are a duplicate: nothing is linked, the admin decides.
 */
function linkTransactions(b: PlanBuilder, matcher: BookingValues): void {
  if (!bothComplete(b, 'link', ['churchtools', 'optigem'])) return;
  const unpaired = (system: SystemId) => b.sorted(system).filter((record) => !b.taken[system].has(record.id));
  const index = { churchtools: matcher.index(unpaired('churchtools'), 'churchtools'), optigem: matcher.index(unpaired('optigem'), 'optigem') };
  const mode = b.job.actions.link?.mode ?? 'newerWins';
  const reported = new Set<string>();
  const free = (system: SystemId, records: readonly SyncRecord[] | undefined) => (records ?? []).filter((record) => !b.taken[system].has(record.id));

  for (const system of ['churchtools', 'optigem'] as const) {
    const other = otherSystem(system);
    for (const record of b.sorted(system)) {
      if (b.taken[system].has(record.id) || !b.meets(system, record)) continue;
      const key = matcher.key(record, system);
      const found = free(other, index[other].get(key));
      if (found.length === 0) continue;
      const same = free(system, index[system].get(key));
      if (found.length > 1 || same.length > 1) {
        if (reported.has(key)) continue;
        reported.add(key);
        const doubled = found.length > 1 ? other : system;
        b.note({
          action: 'link',
          type: 'duplicate',
          system: doubled,
          ctId: system === 'churchtools' ? record.id : null,
          ogId: system === 'optigem' ? record.id : null,
          label: b.label(system, record, record.id),
          level: 'warning',
          message: { key: 'log.link.bookingDuplicate', args: { candidates: candidateList(b, doubled, found.length > 1 ? found : same) } },
        });
        continue;
      }
      const partner = found[0] as SyncRecord;
      const records = system === 'churchtools' ? { churchtools: record, optigem: partner } : { churchtools: partner, optigem: record };
      b.taken.churchtools.add(records.churchtools.id);
      b.taken.optigem.add(records.optigem.id);
      unify(b, records, mode);
    }
  }
}

/**
 * Actions 2 and 3. Candidates are unpaired bookings meeting the source system's conditions;
 * a matching booking anywhere in the target system (paired or not, conditions or not) means
 * nothing is created, to avoid duplicates.
 */
function createMissing(b: PlanBuilder, matcher: BookingValues, source: SystemId, action: 'import' | 'export'): void {
  const target = otherSystem(source);
  if (!bothComplete(b, action, [target])) return;
  let everyone: Map<string, SyncRecord[]> | null = null;
  for (const record of b.sorted(source)) {
    if (b.taken[source].has(record.id) || !b.meets(source, record)) continue;
    const label = b.label(source, record, record.id);
    const ids = source === 'churchtools' ? { ctId: record.id, ogId: null } : { ctId: null, ogId: record.id };
    everyone ??= matcher.index(b.sorted(target), target);
    const matches = everyone.get(matcher.key(record, source));
    if (matches) {
      b.note({ action, type: 'skip', system: target, ...ids, label, level: 'info', message: { key: 'log.create.bookingExists', args: { matches: candidateList(b, target, matches) } } });
      continue;
    }
    planCreate(b, record, source, action, { label, ids, defaults: {}, lists: new Set() });
  }
}
