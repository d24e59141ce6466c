/**
 * The only ways the engine reaches the world. Adapters (ChurchTools client, Optigem bridge
 * client, in-memory twins for tests) implement these; the engine never knows which it got.
 */
import type { Domain, DuplicateDecision, FieldValues, IdentityFields, LogEntry, Message, Pair, SyncRecord, SystemId } from './model.ts';

export interface ReadProblem {
  /** What could not be read, e.g. "page 3 of /persons". */
  readonly what: string;
  readonly message: string;
  /** The failure as a message people can read in their language (`error.<code>`), when known. */
  readonly error?: Message;
}

export interface ReadResult {
  readonly records: readonly SyncRecord[];
  /**
   * False when any part of the read failed. An incomplete read can never prove that a record
   * "no longer exists", so archive/delete actions do not run on it.
   */
  readonly complete: boolean;
  readonly problems: readonly ReadProblem[];
}

export interface ReadOptions {
  /** Domain scope from the job, e.g. `{ fiscalYear: '2026' }` for transactions. */
  readonly scope?: Readonly<Record<string, string>>;
  /**
   * Fields the job's conditions on this system use, so a port reads costly extras (a donor's
   * person status) only when a condition needs them.
   */
  readonly conditionFields?: readonly string[];
}

/**
 * What a system knows beyond its records, read once per plan for a domain that refers to
 * other things (transactions name accounts, cost centres and donors).
 */
export interface ReferenceData {
  /**
   * Per field that names something on this system (ChurchTools `account`, `costCenter`):
   * every value that exists, e.g. the account numbers of the accounting period. A value written
   * here must be one of them.
   */
  readonly known: Readonly<Record<string, readonly string[]>>;
  /** Pre-flight failures that forbid writing anything, e.g. "no open accounting period covers 2026". */
  readonly problems: readonly Message[];
  /** Whether this system accepts writes in the scope (closed fiscal year: no). */
  readonly writable: boolean;
  /** ChurchTools: person id → spouse's person id (both directions); read for both domains. */
  readonly spouses?: Readonly<Record<string, string>>;
  /** Optigem: Personen-Nr of couple records ("Max und Erika Muster"). */
  readonly couples?: readonly string[];
}

/** What deleting a record does or would do. */
export type RemoveOutcome =
  | { readonly kind: 'removed' }
  /**
   * The system keeps the record and books a reversal (storno), e.g. for an immutable booking;
   * `counterpart` is the reversal's id.
   */
  | { readonly kind: 'reversed'; readonly reason: Message; readonly counterpart?: string };

/** What a deletion would do, found out without changing anything (`DELETE …?dry_run=true`). */
export type RemoveCheck = RemoveOutcome | { readonly kind: 'refused'; readonly reason: Message };

export interface CreateContext {
  /**
   * Stable per source record and target system. A port that can (the bridge) uses it so a
   * repeated create after a crash returns the record made the first time.
   */
  readonly idempotencyKey: string;
  /**
   * Id of the record on the other side. Ports store it with the new record (ChurchTools
   * `optigemId` in the create body, the bridge's `churchToolsId`), so that a create whose answer
   * was lost is found and linked by the next run instead of being created again.
   */
  readonly partnerId: string;
  /**
   * An admin decided to create this record despite a same-name person in the target. Only then
   * may a port override its system's duplicate check; without it, a port answers a duplicate
   * refusal with a PortError whose code is POSSIBLE_DUPLICATE.
   */
  readonly force?: boolean;
}

/** PortError code for "the target system refused the create: a person with this name exists". */
export const POSSIBLE_DUPLICATE = 'possibleDuplicate';

export interface UpdateContext {
  /** The modification time the plan saw; a port that can check it refuses stale writes. */
  readonly expectedModifiedAt: string | null;
  /** Id of the partner record, for messages; an update never writes it (see notePartner). */
  readonly partnerId: string;
}

/**
 * Thrown by ports for failures the user can act on. The engine turns it into a log entry
 * naming the record; `retryable` failures (timeouts, 5xx) may succeed on a later run.
 */
export class PortError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly args: Readonly<Record<string, string | number>>;

  constructor(
    code: string,
    message: string,
    options: { retryable?: boolean; args?: Record<string, string | number>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PortError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.args = options.args ?? {};
  }
}

export interface RebookOutcome {
  /** The storno's id. */
  readonly reversal: string;
  /** The booking made anew. */
  readonly record: SyncRecord;
}

export interface SystemPort {
  readonly system: SystemId;
  /** Where this system keeps a person's name, e-mail and birthday. */
  readonly identity: IdentityFields;
  /**
   * Fields that hold a list of values (Optigem `Kategorien`, ChurchTools `departmentIds`), so
   * a mapped value is merged into the list instead of replacing it, even on a new record.
   */
  readonly listFields?: readonly string[];
  readAll(domain: Domain, options?: ReadOptions): Promise<ReadResult>;
  create(domain: Domain, values: FieldValues, context: CreateContext): Promise<SyncRecord>;
  /** Writes only `values` (the changed, selected properties) and returns the record after it. */
  update(domain: Domain, id: string, values: FieldValues, context: UpdateContext): Promise<SyncRecord>;
  archive(domain: Domain, id: string): Promise<void>;
  /** Deletes; a port whose system cannot delete the record books a reversal and says so. */
  remove(domain: Domain, id: string): Promise<RemoveOutcome | void>;
  /**
   * Bookings: reverses the record with a storno and creates it anew from `values` (the whole
   * new booking), for a change its update cannot carry. Ports that never need it leave it out.
   */
  rebook?(domain: Domain, id: string, values: FieldValues, context: CreateContext): Promise<RebookOutcome>;
  /** Simulation: what `remove` would do, without changing anything. */
  checkRemove?(domain: Domain, id: string): Promise<RemoveCheck>;
  /** Reference data of a domain (required for transactions), read before planning. */
  readReferences?(domain: Domain, options?: ReadOptions): Promise<ReferenceData>;
  /**
   * Persons: links two people as spouses (ChurchTools' "Spouse" relationship), for a couple
   * record split into two persons. Ports without such a relationship leave it out.
   */
  linkSpouses?(a: string, b: string): Promise<void>;
  /**
   * Writes the partner's id into the record (ChurchTools `optigemId`), only when the connection
   * asks for it: one request per person. A port skips the write when the value is already there.
   */
  notePartner?(domain: Domain, id: string, partnerId: string): Promise<void>;
  /**
   * Asks by id which of `ids` exist now (archived ones count as existing). A run calls it before
   * archiving or deleting a record on the grounds that its partner here "no longer exists": a
   * list read can miss a record that moved between pages, a read by id cannot. Throws when it
   * cannot tell; the run then removes nothing for those ids.
   */
  findExisting?(domain: Domain, ids: readonly string[]): Promise<ReadonlySet<string>>;
  /**
   * The records as they are now, read by id right before writing them (in batches); a record
   * that no longer exists is missing from the answer. For systems without conditional writes
   * (ChurchTools has no If-Match): the run skips a write whose record changed since the plan.
   */
  reread?(domain: Domain, ids: readonly string[]): Promise<ReadonlyMap<string, SyncRecord>>;
}

export interface PairStore {
  load(connectionId: string, domain: Domain): Promise<readonly Pair[]>;
  /** Saves the whole set; implementations write only what changed. */
  save(connectionId: string, domain: Domain, pairs: readonly Pair[]): Promise<void>;
}

/** The admins' decisions on possible duplicates, per connection and domain. */
export interface DecisionSource {
  load(connectionId: string, domain: Domain): Promise<readonly DuplicateDecision[]>;
}

export interface Progress {
  readonly done: number;
  readonly total: number;
  /** i18n key of the current step. */
  readonly step: string;
}

/** Receives log entries and progress while a simulation or run goes on. */
export interface ProgressSink {
  entry(entry: LogEntry): void | Promise<void>;
  progress(progress: Progress): void;
}

/** Anything with `aborted`, e.g. an AbortSignal: cancelling stops before the next operation. */
export interface CancelSignal {
  readonly aborted: boolean;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
