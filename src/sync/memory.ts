/**
 * In-memory twins of the engine's ports, for tests and for trying the engine without any
 * server. They behave like the real adapters in the ways the engine can observe: stable ids,
 * modification times that move on every write, incomplete reads, failing writes.
 */
import type { Domain, DuplicateDecision, FieldValues, IdentityFields, LogEntry, Pair, SyncRecord, SystemId } from './model.ts';
import type { Clock, CreateContext, DecisionSource, PairStore, Progress, ProgressSink, ReadResult, RebookOutcome, ReferenceData, RemoveCheck, RemoveOutcome, SystemPort, UpdateContext } from './ports.ts';
import { POSSIBLE_DUPLICATE, PortError, systemClock } from './ports.ts';
import { mergeDecisions } from './duplicates.ts';

export interface MemoryRecordInput {
  readonly id?: string;
  readonly properties: FieldValues;
  readonly modifiedAt?: string | null;
  readonly archived?: boolean;
  readonly partnerHint?: string | null;
  readonly locked?: boolean;
  readonly label?: string;
}

export class MemorySystem implements SystemPort {
  readonly records = new Map<string, SyncRecord>();
  readonly writes: { kind: 'create' | 'update' | 'rebook' | 'archive' | 'delete' | 'reverse' | 'notePartner' | 'linkSpouses'; id: string; values?: FieldValues }[] = [];
  /** Makes the next reads report themselves incomplete (a page failed). */
  incompleteReads = false;
  /** Record ids whose next write fails. */
  readonly failWritesFor = new Set<string>();
  /** Creates fail while this is set (e.g. to test "continue after a failure"). */
  failCreates = false;
  /**
   * Refuse a create whose first and last name another record has, unless the create is forced,
   * like ChurchTools' duplicate answer to `POST /persons`.
   */
  refuseSameName = false;
  /** The context of every create asked for, refused ones included. */
  readonly createContexts: CreateContext[] = [];
  /** What readReferences answers (transactions: known accounts, problems, spouses, couples). */
  references: ReferenceData = { known: {}, problems: [], writable: true };
  /** Look-ups by id fail while this is set. */
  failLookups = false;
  /** Called right before a re-read answers (e.g. to edit a record "during the run"). */
  beforeReread: (() => void) | undefined;
  lookups = 0;
  rereads = 0;
  /** Reversals booked for locked records that were to be deleted: storno id → original id. */
  readonly reversals = new Map<string, string>();
  private nextId = 1;
  private readonly createdByKey = new Map<string, string>();

  constructor(
    readonly system: SystemId,
    readonly identity: IdentityFields,
    private readonly clock: Clock = systemClock,
    /** Where the port keeps a linked partner's id, like ChurchTools' `optigemId`. */
    private readonly partnerField: string | null = null,
    readonly listFields: readonly string[] = [],
  ) {}

  add(input: MemoryRecordInput): SyncRecord {
    const id = input.id ?? String(this.nextId);
    this.nextId = Math.max(this.nextId, Number(id) + 1 || this.nextId + 1);
    const record: SyncRecord = {
      id,
      properties: input.properties,
      modifiedAt: input.modifiedAt === undefined ? this.clock.now().toISOString() : input.modifiedAt,
      ...(input.archived ? { archived: true } : {}),
      ...(input.partnerHint ? { partnerHint: input.partnerHint } : {}),
      ...(input.locked ? { locked: true } : {}),
      ...(input.label ? { label: input.label } : {}),
    };
    this.records.set(id, record);
    return record;
  }

  /** Edit as a user of that system would: the modification time moves. */
  edit(id: string, values: FieldValues): SyncRecord {
    const record = this.get(id);
    const next = { ...record, properties: { ...record.properties, ...values }, modifiedAt: this.clock.now().toISOString() };
    this.records.set(id, next);
    return next;
  }

  get(id: string): SyncRecord {
    const record = this.records.get(id);
    if (!record) throw new PortError('notFound', `${this.system} record ${id} does not exist`, { args: { id } });
    return record;
  }

  async readAll(_domain: Domain): Promise<ReadResult> {
    const records = [...this.records.values()];
    if (this.incompleteReads) {
      return { records: records.slice(0, Math.floor(records.length / 2)), complete: false, problems: [{ what: 'page 2', message: 'failed' }] };
    }
    return { records, complete: true, problems: [] };
  }

  private failIfAsked(id: string): void {
    if (this.failWritesFor.has(id)) {
      this.failWritesFor.delete(id);
      throw new PortError('writeFailed', `writing ${this.system} record ${id} failed`, { args: { id }, retryable: true });
    }
  }

  async create(_domain: Domain, values: FieldValues, context: CreateContext): Promise<SyncRecord> {
    this.createContexts.push(context);
    if (this.failCreates) throw new PortError('writeFailed', `creating a ${this.system} record failed`, { retryable: true });
    if (this.refuseSameName && !context.force && this.hasSameName(values)) {
      throw new PortError(POSSIBLE_DUPLICATE, `${this.system}: a person with this name exists already`, { args: { label: `${String(values[this.identity.lastName])}, ${String(values[this.identity.firstName])}` } });
    }
    const existing = this.createdByKey.get(context.idempotencyKey);
    if (existing && this.records.has(existing)) return this.get(existing);
    // Both systems keep the partner's id on a created record (ChurchTools `optigemId`, the
    // bridge's own mapping); only ChurchTools shows it as a property.
    const partner = this.partnerField ? { [this.partnerField]: context.partnerId } : {};
    const record = this.add({ properties: { ...values, ...partner }, partnerHint: context.partnerId });
    this.createdByKey.set(context.idempotencyKey, record.id);
    this.writes.push({ kind: 'create', id: record.id, values });
    return record;
  }

  private hasSameName(values: FieldValues): boolean {
    const name = (v: FieldValues) => `${String(v[this.identity.firstName] ?? '').trim().toLowerCase()}|${String(v[this.identity.lastName] ?? '').trim().toLowerCase()}`;
    const wanted = name(values);
    return [...this.records.values()].some((record) => name(record.properties) === wanted);
  }

  async update(_domain: Domain, id: string, values: FieldValues, _context: UpdateContext): Promise<SyncRecord> {
    this.failIfAsked(id);
    const next = this.edit(id, values);
    this.writes.push({ kind: 'update', id, values });
    return next;
  }

  async archive(_domain: Domain, id: string): Promise<void> {
    this.failIfAsked(id);
    this.records.set(id, { ...this.get(id), archived: true, modifiedAt: this.clock.now().toISOString() });
    this.writes.push({ kind: 'archive', id });
  }

  /** A locked record (an immutable booking) is not deleted: a reversal is booked, like a storno. */
  async remove(_domain: Domain, id: string): Promise<RemoveOutcome> {
    this.failIfAsked(id);
    const record = this.get(id);
    if (record.locked) {
      const storno = this.add({ properties: record.properties, label: `Storno ${record.label ?? id}` });
      this.reversals.set(storno.id, id);
      this.writes.push({ kind: 'reverse', id });
      return { kind: 'reversed', reason: { key: 'log.remove.reversedImmutable', args: { stornoId: storno.id } }, counterpart: storno.id };
    }
    this.records.delete(id);
    this.writes.push({ kind: 'delete', id });
    return { kind: 'removed' };
  }

  /** A storno of `id` (a copy, remembered as its reversal) and a new record from `values`. */
  async rebook(_domain: Domain, id: string, values: FieldValues, _context: CreateContext): Promise<RebookOutcome> {
    this.failIfAsked(id);
    const record = this.get(id);
    const storno = this.add({ properties: record.properties, label: `Storno ${record.label ?? id}` });
    this.reversals.set(storno.id, id);
    const created = this.add({ properties: values });
    this.writes.push({ kind: 'rebook', id, values });
    return { reversal: storno.id, record: created };
  }

  async checkRemove(_domain: Domain, id: string): Promise<RemoveCheck> {
    const record = this.records.get(id);
    if (!record) return { kind: 'refused', reason: { key: 'log.remove.refused', args: { detail: `${this.system} record ${id} does not exist` } } };
    return record.locked ? { kind: 'reversed', reason: { key: 'log.remove.willReverseImmutable' } } : { kind: 'removed' };
  }

  async findExisting(_domain: Domain, ids: readonly string[]): Promise<ReadonlySet<string>> {
    this.lookups++;
    if (this.failLookups) throw new PortError('readFailed', `looking up ${this.system} records failed`, { retryable: true });
    return new Set(ids.filter((id) => this.records.has(id)));
  }

  async reread(_domain: Domain, ids: readonly string[]): Promise<ReadonlyMap<string, SyncRecord>> {
    this.rereads++;
    this.beforeReread?.();
    const found = new Map<string, SyncRecord>();
    for (const id of ids) {
      const record = this.records.get(id);
      if (record) found.set(id, record);
    }
    return found;
  }

  async readReferences(): Promise<ReferenceData> {
    return this.references;
  }

  /** Spouses as ChurchTools relates them: both directions, answered by the next readReferences. */
  async linkSpouses(a: string, b: string): Promise<void> {
    this.failIfAsked(a);
    this.get(a);
    this.get(b);
    this.references = { ...this.references, spouses: { ...this.references.spouses, [a]: b, [b]: a } };
    this.writes.push({ kind: 'linkSpouses', id: a, values: { spouse: b } });
  }

  async notePartner(_domain: Domain, id: string, partnerId: string): Promise<void> {
    const record = this.get(id);
    if (!this.partnerField) {
      // Like the bridge's own mapping: the partner is kept beside the record, not in it.
      this.records.set(id, { ...record, partnerHint: partnerId === '' ? null : partnerId });
      return;
    }
    // Like ChurchTools, remembering the partner is a write: the modification time moves.
    this.records.set(id, { ...record, partnerHint: partnerId, properties: { ...record.properties, [this.partnerField]: partnerId }, modifiedAt: this.clock.now().toISOString() });
    this.writes.push({ kind: 'notePartner', id });
  }
}

/** Decisions on possible duplicates, kept in memory (the twin of the ChurchTools decision store). */
export class MemoryDecisionStore implements DecisionSource {
  private readonly store = new Map<string, readonly DuplicateDecision[]>();

  async load(connectionId: string, domain: Domain): Promise<readonly DuplicateDecision[]> {
    return this.store.get(`${connectionId}|${domain}`) ?? [];
  }

  /** Adds or replaces the decisions for their records. */
  async decide(connectionId: string, domain: Domain, decisions: readonly DuplicateDecision[]): Promise<void> {
    this.store.set(`${connectionId}|${domain}`, mergeDecisions(await this.load(connectionId, domain), decisions));
  }
}

export class MemoryPairStore implements PairStore {
  private readonly store = new Map<string, readonly Pair[]>();
  saves = 0;

  async load(connectionId: string, domain: Domain): Promise<readonly Pair[]> {
    return this.store.get(`${connectionId}|${domain}`) ?? [];
  }

  async save(connectionId: string, domain: Domain, pairs: readonly Pair[]): Promise<void> {
    this.saves++;
    this.store.set(`${connectionId}|${domain}`, [...pairs]);
  }
}

export class MemorySink implements ProgressSink {
  readonly entries: LogEntry[] = [];
  readonly progresses: Progress[] = [];

  entry(entry: LogEntry): void {
    this.entries.push(entry);
  }

  progress(progress: Progress): void {
    this.progresses.push(progress);
  }
}

/** A clock tests can move forward, so "newer" is decided by the test, not by timing. */
export class ManualClock implements Clock {
  constructor(private current: Date = new Date('2026-01-01T00:00:00Z')) {}

  now(): Date {
    return new Date(this.current.getTime());
  }

  advance(seconds = 60): void {
    this.current = new Date(this.current.getTime() + seconds * 1000);
  }
}

/**
 * A system's own clock, off from another clock by a fixed amount: the executor and each system
 * keep their own time, and records carry their system's time.
 */
export class SkewedClock implements Clock {
  constructor(
    private readonly base: Clock,
    private readonly offsetSeconds: number,
  ) {}

  now(): Date {
    return new Date(this.base.now().getTime() + this.offsetSeconds * 1000);
  }
}
