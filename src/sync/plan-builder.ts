/**
 * The planner's working state: the records of both systems, the pairs, which records are
 * taken, and the growing list of operations and entries.
 */
import { meetsConditions } from './conditions.ts';
import { NameNumbers, type PersonIdentity, PersonIndex, identityOf, personLabel } from './matching.ts';
import type {
  ActionId,
  DuplicateDecision,
  FieldChange,
  FieldValue,
  IdentityFields,
  Job,
  LogEntry,
  LogLevel,
  Message,
  OperationType,
  Pair,
  PropertyPair,
  SyncRecord,
  SystemId,
} from './model.ts';
import type { CoupleCorrection } from './couples.ts';
import type { Operation } from './plan.ts';
import type { PossibleDuplicate } from './duplicates.ts';
import { fnv1a } from './fingerprint.ts';
import type { ReadResult, ReferenceData } from './ports.ts';
import { RecordTable, Taken, sortById } from './record-table.ts';

export interface PlanInput {
  readonly job: Job;
  /** All property pairs of the connection; the job selects some by key. */
  readonly propertyPairs: readonly PropertyPair[];
  readonly records: Readonly<Record<SystemId, ReadResult>>;
  readonly identity: Readonly<Record<SystemId, IdentityFields>>;
  /** Per system, the fields that hold lists (see SystemPort.listFields). */
  readonly listFields?: Readonly<Record<SystemId, readonly string[]>>;
  readonly pairs: readonly Pair[];
  /** Share of pairs above which archive/delete needs confirmation; default 0.1. */
  readonly massChangeThreshold?: number;
  /**
   * What each system knows besides its records: transactions' accounts, cost centres …;
   * persons' spouses (ChurchTools), for couple pairs.
   */
  readonly references?: Readonly<Record<SystemId, ReferenceData>>;
  /** The admins' decisions on possible duplicates of this connection and domain. */
  readonly decisions?: readonly DuplicateDecision[];
  /** The admin's corrections of couple detection, by Optigem id. */
  readonly coupleCorrections?: ReadonlyMap<string, CoupleCorrection>;
  /** Give ChurchTools persons their partner's Optigem number, at most `perRun` per run (off when absent). */
  readonly partnerNotes?: { readonly perRun: number };
}

export interface NoteInput {
  readonly action: LogEntry['action'];
  readonly type: OperationType;
  readonly system: SystemId | 'both';
  readonly ctId: string | null;
  readonly ogId: string | null;
  readonly label: string;
  readonly message: Message;
  readonly level: LogLevel;
  readonly changes?: readonly FieldChange[];
}

/** Shared by the many entries without field changes (entries are never changed once made). */
const NO_CHANGES: readonly FieldChange[] = Object.freeze([]);

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export class PlanBuilder {
  readonly job: Job;
  readonly selected: readonly PropertyPair[];
  /** The selected property-pair keys in fingerprint order. */
  private readonly fingerprintKeys: readonly string[];
  /** Positions in `selected`, in fingerprint order. */
  readonly fingerprintOrder: readonly number[];
  /** The records of each system in id order, by position and by id. */
  readonly byId: Readonly<Record<SystemId, RecordTable>>;
  /** Existing pairs, by the record id on each side. */
  readonly pairOf: Readonly<Record<SystemId, ReadonlyMap<string, Pair>>>;
  /** Records in a pair: existing pairs plus those this plan makes. */
  readonly taken: Readonly<Record<SystemId, Taken>>;
  readonly complete: Readonly<Record<SystemId, boolean>>;
  readonly entries: LogEntry[] = [];
  readonly operations: Operation[] = [];
  readonly blockers: Message[] = [];
  readonly possibleDuplicates: PossibleDuplicate[] = [];
  private decisions: Map<string, DuplicateDecision> | null = null;
  private seq = 0;
  private readonly blockerKeys = new Set<string>();
  /** Running hash of every operation as it is added: the plan's digest without a second pass. */
  private digestHash = 0x811c9dc5;

  constructor(readonly input: PlanInput) {
    this.job = input.job;
    const keys = new Set(input.job.propertyPairKeys);
    this.selected = input.propertyPairs.filter((pair) => keys.has(pair.key) && pair.domain === input.job.domain);
    const key = (index: number) => (this.selected[index] as PropertyPair).key;
    this.fingerprintOrder = this.selected.map((_, index) => index).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    this.fingerprintKeys = this.fingerprintOrder.map(key);
    this.byId = { churchtools: new RecordTable(input.records.churchtools.records), optigem: new RecordTable(input.records.optigem.records) };
    this.pairOf = { churchtools: byKey(input.pairs, (pair) => pair.ct), optigem: byKey(input.pairs, (pair) => pair.og) };
    this.taken = { churchtools: new Taken(this.byId.churchtools, this.pairOf.churchtools), optigem: new Taken(this.byId.optigem, this.pairOf.optigem) };
    this.complete = { churchtools: input.records.churchtools.complete, optigem: input.records.optigem.complete };
  }

  /** Encodes per-key hashes of selected fields as a fingerprint (same format as encodeFingerprint). */
  fingerprint(hashes: Readonly<Record<string, string | null>>): string {
    // Joined rather than concatenated: one flat string, where `+=` left a rope of several that
    // the plan's digest flattened again. Some 50,000 fingerprints per first sync.
    const parts = this.fingerprintParts;
    let count = 0;
    for (const key of this.fingerprintKeys) {
      const hash = hashes[key];
      if (hash) parts[count++] = key + hash;
    }
    parts.length = count;
    return count === 1 ? (parts[0] as string) : parts.join('.');
  }

  private readonly fingerprintParts: string[] = [];

  /**
   * fingerprint() of hashes given by position in `selected` (undefined: none), without a record
   * keyed by property-pair key. Where two selected pairs share a key, the later one with a hash
   * counts, as it would in the record.
   */
  fingerprintAt(hashes: readonly (string | undefined)[]): string {
    const parts = this.fingerprintParts;
    const order = this.fingerprintOrder;
    const sharing = this.keySharers();
    let count = 0;
    for (let i = 0; i < order.length; i++) {
      const index = order[i] as number;
      const others = sharing[index];
      let hash: string | undefined;
      if (others === undefined) hash = hashes[index];
      else for (let o = 0; o < others.length && hash === undefined; o++) hash = hashes[others[o] as number];
      if (hash) parts[count++] = (this.selected[index] as PropertyPair).key + hash;
    }
    parts.length = count;
    return count === 1 ? (parts[0] as string) : parts.join('.');
  }

  private sharers: (readonly number[] | undefined)[] | null = null;

  /**
   * Per position in `selected`: undefined when its key is its own, else every position with
   * that key, the last first (whose hash the record would hold).
   */
  private keySharers(): (readonly number[] | undefined)[] {
    if (this.sharers) return this.sharers;
    const sharers = this.selected.map((pair) => {
      const same: number[] = [];
      this.selected.forEach((other, index) => {
        if (other.key === pair.key) same.unshift(index);
      });
      return same.length > 1 ? same : undefined;
    });
    this.sharers = sharers;
    return sharers;
  }

  private readonly distinctTargets: Partial<Record<SystemId, boolean>> = {};

  /** Whether every selected pair writes a field of `system` no other selected pair writes. */
  targetsDistinct(system: SystemId): boolean {
    this.distinctTargets[system] ??= new Set(this.selected.map((pair) => pair[system])).size === this.selected.length;
    return this.distinctTargets[system];
  }

  selectedActions(): Set<ActionId> {
    return new Set(Object.keys(this.job.actions) as ActionId[]);
  }

  /** Records of a system in id order, so plans and their digests are reproducible. */
  sorted(system: SystemId): readonly SyncRecord[] {
    return this.byId[system].sorted;
  }

  private sortedPairsCache: readonly Pair[] | null = null;

  /** The existing pairs (one per ChurchTools id) in ChurchTools id order. */
  sortedPairs(): readonly Pair[] {
    this.sortedPairsCache ??= sortById([...this.pairOf.churchtools.values()], (pair) => pair.ct);
    return this.sortedPairsCache;
  }

  private readonly peopleCache: Partial<Record<SystemId, PersonIndex>> = {};
  private readonly names = new NameNumbers();

  /**
   * Every record of a system by name, in id order, built on first use (a nightly run needs
   * none). Linking looks only at records not taken yet (`find(…, b.taken[system])`);
   * creation looks at all of them.
   */
  people(system: SystemId): PersonIndex {
    const cached = this.peopleCache[system];
    if (cached) return cached;
    const index = new PersonIndex(this.sorted(system), this.input.identity[system], this.names);
    this.peopleCache[system] = index;
    return index;
  }

  /**
   * The identity of the record at `position` in sorted(system): from that system's index when
   * there is one (linking built it), otherwise worked out for this record alone.
   */
  identity(system: SystemId, position: number): PersonIdentity {
    const people = this.peopleCache[system];
    if (people) return people.identityAt(position);
    return identityOf(this.sorted(system)[position] as SyncRecord, this.input.identity[system]);
  }

  /** The stored decision on a possible duplicate created from `sourceId` of `source`, if any. */
  decisionFor(source: SystemId, sourceId: string): DuplicateDecision | undefined {
    this.decisions ??= new Map((this.input.decisions ?? []).map((d) => [`${d.source}|${d.sourceId}`, d]));
    return this.decisions.get(`${source}|${sourceId}`);
  }

  meets(system: SystemId, record: SyncRecord): boolean {
    const conditions = this.job.conditions[system];
    // Most systems have no conditions: answered without a call for each of 60,000 records.
    return conditions.length === 0 || meetsConditions(record, conditions);
  }

  label(system: SystemId, record: SyncRecord | undefined, fallbackId: string): string {
    if (!record) return `#${fallbackId}`;
    return record.label ?? personLabel(record, this.input.identity[system]);
  }

  pairLabel(ct: SyncRecord | undefined, og: SyncRecord | undefined, pair: Pick<Pair, 'ct' | 'og'>): string {
    return ct ? this.label('churchtools', ct, pair.ct) : this.label('optigem', og, pair.og);
  }

  note(note: NoteInput): number {
    const seq = ++this.seq;
    // Spelled out rather than spread: a first sync makes some 50,000 entries.
    this.entries.push({
      seq,
      changes: note.changes ?? NO_CHANGES,
      state: 'planned',
      action: note.action,
      type: note.type,
      system: note.system,
      ctId: note.ctId,
      ogId: note.ogId,
      label: note.label,
      level: note.level,
      message: note.message,
    });
    return seq;
  }

  operation(operation: DistributiveOmit<Operation, 'seq'>, note: NoteInput): void {
    const seq = this.note(note);
    // The caller's own new object gets its number (last, where a copy would put it): a first
    // sync adds some 50,000 operations, 225,000 at 150,000 bookings, and copying each cost more
    // than building it.
    const full = operation as Operation;
    (full as { seq: number }).seq = seq;
    this.operations.push(full);
    this.digestHash = hashOperation(full, this.digestHash);
  }

  /** Changes whenever an operation, its values or a blocker would change. */
  digest(): string {
    const withBlockers = fnv1a(JSON.stringify(this.blockers), this.digestHash);
    return `${(withBlockers >>> 0).toString(16).padStart(8, '0')}-${this.operations.length}`;
  }

  /** The same blocker (say, one unmapped value) is reported once, however many records hit it. */
  blocker(message: Message, dedupeKey: string): void {
    if (this.blockerKeys.has(dedupeKey)) return;
    this.blockerKeys.add(dedupeKey);
    this.blockers.push(message);
  }
}

/** Like `new Map(items.map((item) => [key(item), item]))`, without a pair array per item. */
function byKey<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) map.set(key(item), item);
  return map;
}

/** FNV-1a of one UTF-16 code unit (a type tag or separator), continuing `hash`. */
function mix(hash: number, code: number): number {
  return Math.imul(hash ^ code, 0x01000193) >>> 0;
}

/** A text and a separator after it, so that ("ab", "c") and ("a", "bc") differ. */
function mixText(hash: number, text: string): number {
  return mix(fnv1a(text, hash), 0x7c);
}

/** A field value with its type, so that 1, "1" and ["1"] differ. */
function mixValue(hash: number, value: FieldValue | undefined): number {
  if (value === null || value === undefined) return mix(hash, value === null ? 0x30 : 0x75);
  if (typeof value === 'string') return mixText(mix(hash, 0x73), value);
  if (typeof value === 'number') return mixText(mix(hash, 0x6e), String(value));
  if (typeof value === 'boolean') return mix(hash, value ? 0x74 : 0x66);
  let h = mix(hash, 0x5b);
  for (const item of value) h = mixText(h, item);
  return mix(h, 0x5d);
}

function mixRecord(hash: number, values: Readonly<Record<string, FieldValue | undefined>>): number {
  let h = mix(hash, 0x7b);
  for (const key in values) h = mixValue(mixText(h, key), values[key]);
  return mix(h, 0x7d);
}

/**
 * Adds what an operation does to the plan's running hash: its kind, target, records, values
 * and pair changes. Hashed field by field rather than through JSON: a first sync hashes some
 * 50,000 operations.
 */
function hashOperation(op: Operation, hash: number): number {
  let h = mixText(hash, op.op);
  switch (op.op) {
    case 'create':
      h = mixText(mixText(mixText(h, op.target), op.sourceId), op.fp);
      if (op.force) h = mix(h, 0x21);
      return mixRecord(h, op.values);
    case 'update':
      h = mixText(mixText(mixText(mixText(mixText(h, op.target), op.ct), op.og), op.expectedModifiedAt ?? ''), op.base);
      return mixRecord(h, op.values);
    case 'rebook':
      return mixRecord(mixRecord(mixText(mixText(h, op.ct), op.og), op.values), op.fpPatch);
    case 'link':
      return mixText(mixText(mixText(mixText(h, op.ct), op.og), op.status), op.fp);
    case 'couple':
      h = mixText(mixText(h, op.og), op.relate ? 'r' : '-');
      for (const spouse of op.spouses) h = 'ct' in spouse ? mixText(h, spouse.ct) : mixRecord(h, spouse.values);
      return h;
    case 'pair':
      h = mixText(mixText(mixText(h, op.ct), op.og), op.change.kind);
      return op.change.kind === 'set' ? mixRecord(mixText(h, op.change.status), op.change.fpPatch) : h;
    default:
      return mixText(mixText(mixText(h, op.target), op.ct), op.og);
  }
}
