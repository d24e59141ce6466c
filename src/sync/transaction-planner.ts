/**
 * The transaction planner: the spec's eight transaction actions (Financial Data, 2.1 and 2.2)
 * in their order — link & unify, import, export, update / import / export properties, delete in
 * ChurchTools, delete in Optigem — after the pre-flight. Maintaining and deleting pairs is the
 * same as for people (pair-actions.ts); what differs is matching: two bookings match when every
 * mapped field is identical, the donor excepted ("The exception is the donor IDs").
 */
import { fnv1a } from './fingerprint.ts';
import { comparable } from './mapping.ts';
import type { PropertyPair, SyncRecord, SystemId } from './model.ts';
import { otherSystem } from './model.ts';
import { archiveOrDelete, bothComplete, finish, maintainPairs, planCreate, unify } from './pair-actions.ts';
import type { Plan } from './plan.ts';
import type { PlanInput } from './plan-builder.ts';
import { PlanBuilder } from './plan-builder.ts';
import { preflight } from './transaction-preflight.ts';
import { validateJob } from './validate.ts';

type MakeValues = (propertyPairs: readonly PropertyPair[], records: Readonly<Record<SystemId, readonly SyncRecord[]>>) => BookingValues;

/** `makeValues` is open for tests that count how often the plan indexes the bookings. */
export function planTransactions(input: PlanInput, makeValues: MakeValues = (pairs, records) => new BookingValues(pairs, records)): Plan {
  const b = new PlanBuilder(input);
  for (const issue of validateJob(input.job, input.propertyPairs)) {
    b.blocker({ key: issue.message.key, args: { ...issue.message.args, path: issue.path } }, `validation|${issue.path}`);
  }
  if (b.blockers.length > 0) return finish(b);
  if (!input.references) {
    b.blocker({ key: 'blocker.preflight.noReferences' }, 'preflight|references');
    return finish(b);
  }
  const matcher = makeValues(input.propertyPairs, { churchtools: b.sorted('churchtools'), optigem: b.sorted('optigem') });
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
 * The bookings of one system by matching key, in that system's sorted records. Keys are
 * numbered once for both systems (equal keys, equal numbers), so that matching a booking of one
 * system against the other is a look into an array, not a second hash of its key.
 */
export interface BookingIndex {
  /** The number of each booking's matching key, by position. */
  readonly keys: Int32Array;
  /** By key number, the first (lowest) position with that key; -1, or beyond the end, where none has it. */
  readonly first: Int32Array;
  /** The next position with the same key as this one, -1 after the last. */
  readonly next: Int32Array;
}

/** The first position of key number `key` in `index`, -1 when the system has no booking with it. */
export function firstWith(index: BookingIndex, key: number): number {
  return key < index.first.length ? (index.first[key] as number) : -1;
}

/**
 * The comparable form of every transaction property of a booking, computed once per plan and
 * kept by position in the system's sorted records: the pre-flight, matching and creating all
 * look at the same values of the same 300,000 bookings. The matching key is every property
 * pair of the connection but the donor, each compared in that form ("all mapped fields", not
 * just the job's selection). Columns and positions instead of a memory per booking object:
 * a map or WeakMap entry per booking cost more, in lookups and collection, than the values.
 */
export class BookingValues {
  readonly pairs: readonly PropertyPair[];
  private readonly position: ReadonlyMap<string, number>;
  private readonly matchPositions: readonly number[];
  private readonly columns: Record<SystemId, (readonly string[] | undefined)[]> = { churchtools: [], optigem: [] };
  private readonly indexes: Partial<Record<SystemId, BookingIndex>> = {};

  constructor(
    propertyPairs: readonly PropertyPair[],
    /** Every booking of each system in id order (PlanBuilder.sorted). */
    readonly records: Readonly<Record<SystemId, readonly SyncRecord[]>>,
  ) {
    this.pairs = propertyPairs.filter((pair) => pair.domain === 'transaction');
    this.position = new Map(this.pairs.map((pair, index) => [pair.key, index]));
    this.matchPositions = this.pairs.flatMap((pair, index) => (pair.role === 'donor' ? [] : [index]));
  }

  /**
   * The comparable values of one property pair for every booking of a system, by position;
   * computed for all bookings on first use (a nightly pre-flight needs four of the nine).
   */
  column(system: SystemId, pair: PropertyPair): readonly string[] {
    const index = this.position.get(pair.key);
    if (index === undefined) return this.records[system].map((record) => comparable(pair, system, record.properties[pair[system]]));
    return this.columnAt(system, index);
  }

  private columnAt(system: SystemId, index: number): readonly string[] {
    let column = this.columns[system][index];
    if (!column) {
      const pair = this.pairs[index] as PropertyPair;
      const field = pair[system];
      const records = this.records[system];
      const values = new Array<string>(records.length);
      for (let i = 0; i < records.length; i++) values[i] = comparable(pair, system, (records[i] as SyncRecord).properties[field]);
      column = values;
      this.columns[system][index] = column;
    }
    return column;
  }

  /** The columns of the pairs last asked for by valuesAt (always the job's selection), per system. */
  private readonly selection: Record<SystemId, { pairs: readonly PropertyPair[]; columns: (readonly string[])[] } | null> = { churchtools: null, optigem: null };

  /** The comparable values of `pairs` of the booking at `position`, written into `into`. */
  valuesAt(system: SystemId, position: number, pairs: readonly PropertyPair[], into: string[]): string[] {
    let selection = this.selection[system];
    if (selection?.pairs !== pairs) {
      selection = { pairs, columns: pairs.map((pair) => this.column(system, pair)) };
      this.selection[system] = selection;
    }
    const columns = selection.columns;
    for (let i = 0; i < columns.length; i++) into[i] = (columns[i] as readonly string[])[position] as string;
    into.length = columns.length;
    return into;
  }

  /**
   * Every booking of a system by matching key, built on first use and shared by every action
   * of the plan: linking skips the bookings already paired, creating looks at all of them.
   */
  index(system: SystemId): BookingIndex {
    let index = this.indexes[system];
    if (!index) {
      index = this.build(system);
      this.indexes[system] = index;
    }
    return index;
  }

  protected build(system: SystemId): BookingIndex {
    const columns = this.matchPositions.map((index) => this.columnAt(system, index));
    this.matchColumns[system] = columns;
    const count = this.records[system].length;
    const keys = new Int32Array(count);
    const table = this.keyTable();
    const mask = (table.length >> 1) - 1;
    const owners = this.keyOwners;
    for (let i = 0; i < count; i++) {
      let hash = 0x811c9dc5;
      for (let c = 0; c < columns.length; c++) hash = Math.imul(fnv1a((columns[c] as readonly string[])[i] as string, hash) ^ 0x1e, 0x01000193);
      let slot = hash & mask;
      let key = -1;
      for (let found = table[2 * slot + 1] as number; found !== 0; found = table[2 * slot + 1] as number) {
        if (table[2 * slot] === hash && this.sameKey(owners[found - 1] as number, columns, i)) {
          key = found - 1;
          break;
        }
        slot = (slot + 1) & mask;
      }
      if (key === -1) {
        key = owners.length;
        owners.push(system === 'churchtools' ? i : -1 - i);
        table[2 * slot] = hash;
        table[2 * slot + 1] = key + 1;
      }
      keys[i] = key;
    }
    const first = new Int32Array(owners.length).fill(-1);
    const next = new Int32Array(count);
    // From the end, so that each key's chain runs in id order.
    for (let i = count - 1; i >= 0; i--) {
      const key = keys[i] as number;
      next[i] = first[key] as number;
      first[key] = i;
    }
    return { keys, first, next };
  }

  /**
   * Matching keys by hash, open addressing: per slot the hash and key number + 1 (0: free),
   * side by side; sized for every booking of both systems at most half full. Compared column
   * by column against the first booking with the key, instead of joining each booking's
   * columns into one text for a Map: at 150,000 bookings per side those texts and the map's
   * growth were a fifth of a plan.
   */
  private table: Int32Array | null = null;
  /** Per key number, its first booking: its position in ChurchTools, or -1 - its position in Optigem. */
  private readonly keyOwners: number[] = [];
  private readonly matchColumns: Partial<Record<SystemId, readonly (readonly string[])[]>> = {};

  private keyTable(): Int32Array {
    if (!this.table) {
      let size = 16;
      while (size < 2 * (this.records.churchtools.length + this.records.optigem.length)) size *= 2;
      this.table = new Int32Array(2 * size);
    }
    return this.table;
  }

  private sameKey(owner: number, columns: readonly (readonly string[])[], position: number): boolean {
    const theirs = (owner >= 0 ? this.matchColumns.churchtools : this.matchColumns.optigem) as readonly (readonly string[])[];
    const at = owner >= 0 ? owner : -1 - owner;
    for (let c = 0; c < columns.length; c++) {
      if ((theirs[c] as readonly string[])[at] !== (columns[c] as readonly string[])[position]) return false;
    }
    return true;
  }
}

function candidateList(b: PlanBuilder, system: SystemId, records: readonly SyncRecord[]): string {
  return records.map((record) => `${b.label(system, record, record.id)} (#${record.id})`).join('; ');
}

/** The bookings at the positions of a chain starting at `from`, those paired already left out when `free`. */
function chain(b: PlanBuilder, values: BookingValues, system: SystemId, from: number, free: boolean): SyncRecord[] {
  const found: SyncRecord[] = [];
  const next = values.index(system).next;
  for (let i = from; i !== -1; i = next[i] as number) {
    const record = values.records[system][i] as SyncRecord;
    if (!free || !b.taken[system].has(record.id, i)) found.push(record);
  }
  return found;
}

const NONE = -1;
const SEVERAL = -2;

/**
 * The position of the one booking of a chain not paired yet, looked at in place (most keys
 * name one booking per side); NONE when there is none, SEVERAL when there are more.
 */
function onlyFree(b: PlanBuilder, values: BookingValues, system: SystemId, from: number): number {
  const next = values.index(system).next;
  const records = values.records[system];
  let one = NONE;
  for (let i = from; i !== -1; i = next[i] as number) {
    if (b.taken[system].has((records[i] as SyncRecord).id, i)) continue;
    if (one !== NONE) return SEVERAL;
    one = i;
  }
  return one;
}

/**
 * Action 1. Candidates are unpaired bookings meeting their own system's conditions; the match
 * is searched among all unpaired bookings of the other system. Two or more equal bookings on
 * either side are a duplicate: nothing is linked, the admin decides.
 */
function linkTransactions(b: PlanBuilder, values: BookingValues): void {
  if (!bothComplete(b, 'link', ['churchtools', 'optigem'])) return;
  const mode = b.job.actions.link?.mode ?? 'newerWins';
  // Keys whose duplicates were reported, by key number.
  const reported = new Set<number>();
  // Refilled for each link: unify reads them and keeps none.
  const known: Record<SystemId, string[]> = { churchtools: [], optigem: [] };

  for (const system of ['churchtools', 'optigem'] as const) {
    const other = otherSystem(system);
    const records = values.records[system];
    const own = values.index(system);
    const theirs = values.index(other);
    for (let i = 0; i < records.length; i++) {
      const record = records[i] as SyncRecord;
      if (b.taken[system].has(record.id, i) || !b.meets(system, record)) continue;
      const key = own.keys[i] as number;
      const found = firstWith(theirs, key);
      if (found === -1) continue;
      const partnerAt = onlyFree(b, values, other, found);
      if (partnerAt === NONE) continue;
      if (partnerAt === SEVERAL || onlyFree(b, values, system, firstWith(own, key)) === SEVERAL) {
        if (reported.has(key)) continue;
        reported.add(key);
        const doubled = partnerAt === SEVERAL ? other : system;
        const candidates = chain(b, values, doubled, firstWith(doubled === system ? own : theirs, key), true);
        b.note({
          action: 'link',
          type: 'duplicate',
          system: doubled,
          ctId: system === 'churchtools' ? record.id : null,
          ogId: system === 'optigem' ? record.id : null,
          label: b.label(system, record, record.id),
          level: 'warning',
          message: { key: 'log.link.bookingDuplicate', args: { candidates: candidateList(b, doubled, candidates) } },
        });
        continue;
      }
      const partner = values.records[other][partnerAt] as SyncRecord;
      const pair = system === 'churchtools' ? { churchtools: record, optigem: partner } : { churchtools: partner, optigem: record };
      b.taken[system].add(record.id, i);
      b.taken[other].add(partner.id, partnerAt);
      values.valuesAt(system, i, b.selected, known[system]);
      values.valuesAt(other, partnerAt, b.selected, known[other]);
      unify(b, pair, mode, known);
    }
  }
}

/**
 * Actions 2 and 3. Candidates are unpaired bookings meeting the source system's conditions;
 * a matching booking anywhere in the target system (paired or not, conditions or not) means
 * nothing is created, to avoid duplicates.
 */
function createMissing(b: PlanBuilder, values: BookingValues, source: SystemId, action: 'import' | 'export'): void {
  const target = otherSystem(source);
  if (!bothComplete(b, action, [target])) return;
  const records = values.records[source];
  const keys = values.index(source).keys;
  const targets = values.index(target);
  const defaults = {};
  const lists = new Set<string>();
  // Refilled for each creation: planCreate reads them and keeps none.
  const known: string[] = [];
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as SyncRecord;
    if (b.taken[source].has(record.id, i) || !b.meets(source, record)) continue;
    const label = b.label(source, record, record.id);
    const ids = source === 'churchtools' ? { ctId: record.id, ogId: null } : { ctId: null, ogId: record.id };
    const match = firstWith(targets, keys[i] as number);
    if (match !== -1) {
      const matches = chain(b, values, target, match, false);
      b.note({ action, type: 'skip', system: target, ...ids, label, level: 'info', message: { key: 'log.create.bookingExists', args: { matches: candidateList(b, target, matches) } } });
      continue;
    }
    planCreate(b, record, source, action, { label, ids, defaults, lists, position: i, known: values.valuesAt(source, i, b.selected, known) });
  }
}
