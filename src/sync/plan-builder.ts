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
import { fnv1a } from './fingerprint.ts';
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
  /** The selected property-pair keys in fingerprint order. */
  private readonly fingerprintKeys: readonly string[];
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
  /** Running hash of every operation as it is added: the plan's digest without a second pass. */
  private digestHash = 0x811c9dc5;

  constructor(readonly input: PlanInput) {
    this.job = input.job;
    const keys = new Set(input.job.propertyPairKeys);
    this.selected = input.propertyPairs.filter((pair) => keys.has(pair.key) && pair.domain === input.job.domain);
    this.fingerprintKeys = this.selected.map((pair) => pair.key).sort();
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

  /** Encodes per-key hashes of selected fields as a fingerprint (same format as encodeFingerprint). */
  fingerprint(hashes: Readonly<Record<string, string | null>>): string {
    let out = '';
    for (const key of this.fingerprintKeys) {
      const hash = hashes[key];
      if (hash) out = out === '' ? key + hash : `${out}.${key}${hash}`;
    }
    return out;
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
    if (!record) return `#${fallbackId}`;
    return record.label ?? personLabel(record, this.input.identity[system]);
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
    const full = { ...operation, seq } as Operation;
    this.operations.push(full);
    this.digestHash = fnv1a(operationSignature(full), this.digestHash);
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

function operationSignature(op: Operation): string {
  switch (op.op) {
    case 'create':
      return `c|${op.target}|${op.sourceId}|${op.fp}|${JSON.stringify(op.values)}`;
    case 'update':
      return `u|${op.target}|${op.ct}|${op.og}|${op.expectedModifiedAt ?? ''}|${JSON.stringify(op.values)}`;
    case 'link':
      return `l|${op.ct}|${op.og}|${op.status}|${op.fp}`;
    case 'pair':
      return `p|${op.ct}|${op.og}|${JSON.stringify(op.change)}`;
    default:
      return `${op.op}|${op.target}|${op.ct}|${op.og}`;
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
