/**
 * The planner's working state: the records of both systems, the pairs, which records are
 * taken, and the growing list of operations and entries.
 */
import { meetsConditions } from './conditions.ts';
import { personLabel } from './matching.ts';
import type {
  ActionId,
  FieldChange,
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
import type { Operation } from './plan.ts';
import type { ReadResult } from './ports.ts';

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

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export class PlanBuilder {
  readonly job: Job;
  readonly selected: readonly PropertyPair[];
  readonly byId: Readonly<Record<SystemId, ReadonlyMap<string, SyncRecord>>>;
  /** Existing pairs, by the record id on each side. */
  readonly pairOf: Readonly<Record<SystemId, ReadonlyMap<string, Pair>>>;
  /** Records in a pair: existing pairs plus those this plan makes. */
  readonly taken: Readonly<Record<SystemId, Set<string>>>;
  readonly complete: Readonly<Record<SystemId, boolean>>;
  readonly entries: LogEntry[] = [];
  readonly operations: Operation[] = [];
  readonly blockers: Message[] = [];
  private seq = 0;
  private readonly blockerKeys = new Set<string>();

  constructor(readonly input: PlanInput) {
    this.job = input.job;
    const keys = new Set(input.job.propertyPairKeys);
    this.selected = input.propertyPairs.filter((pair) => keys.has(pair.key) && pair.domain === input.job.domain);
    const index = (result: ReadResult) => new Map(result.records.map((record) => [record.id, record]));
    this.byId = { churchtools: index(input.records.churchtools), optigem: index(input.records.optigem) };
    this.pairOf = {
      churchtools: new Map(input.pairs.map((pair) => [pair.ct, pair])),
      optigem: new Map(input.pairs.map((pair) => [pair.og, pair])),
    };
    this.taken = {
      churchtools: new Set(input.pairs.map((pair) => pair.ct)),
      optigem: new Set(input.pairs.map((pair) => pair.og)),
    };
    this.complete = { churchtools: input.records.churchtools.complete, optigem: input.records.optigem.complete };
  }

  selectedActions(): Set<ActionId> {
    return new Set(Object.keys(this.job.actions) as ActionId[]);
  }

  private readonly sortedCache: Partial<Record<SystemId, readonly SyncRecord[]>> = {};

  /** Records of a system in id order, so plans and their digests are reproducible. */
  sorted(system: SystemId): readonly SyncRecord[] {
    const cached = this.sortedCache[system];
    if (cached) return cached;
    const sorted = sortById([...this.byId[system].values()], (record) => record.id);
    this.sortedCache[system] = sorted;
    return sorted;
  }

  meets(system: SystemId, record: SyncRecord): boolean {
    return meetsConditions(record, this.job.conditions[system]);
  }

  label(system: SystemId, record: SyncRecord | undefined, fallbackId: string): string {
    return record ? personLabel(record, this.input.identity[system]) : `#${fallbackId}`;
  }

  pairLabel(ct: SyncRecord | undefined, og: SyncRecord | undefined, pair: Pick<Pair, 'ct' | 'og'>): string {
    return ct ? this.label('churchtools', ct, pair.ct) : this.label('optigem', og, pair.og);
  }

  note(note: NoteInput): number {
    const seq = ++this.seq;
    this.entries.push({ seq, changes: [], state: 'planned', ...note });
    return seq;
  }

  operation(operation: DistributiveOmit<Operation, 'seq'>, note: NoteInput): void {
    const seq = this.note(note);
    this.operations.push({ ...operation, seq } as Operation);
  }

  /** The same blocker (say, one unmapped value) is reported once, however many records hit it. */
  blocker(message: Message, dedupeKey: string): void {
    if (this.blockerKeys.has(dedupeKey)) return;
    this.blockerKeys.add(dedupeKey);
    this.blockers.push(message);
  }
}

/** Numeric ids in numeric order, others lexically: "2" before "10". */
export function sortById<T>(items: T[], id: (item: T) => string): T[] {
  const keyed = items.map((item) => {
    const text = id(item);
    const number = text === '' ? Number.NaN : Number(text);
    return { item, text, number };
  });
  keyed.sort((a, b) => {
    if (Number.isFinite(a.number) && Number.isFinite(b.number) && a.number !== b.number) return a.number - b.number;
    return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
  });
  return keyed.map((entry) => entry.item);
}
