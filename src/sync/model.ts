/**
 * The sync domain, in types. Words follow DESIGN.md §2: ChurchTools is the *own system*
 * ("master"), Optigem the *connected system* ("es").
 */

export const SYSTEMS = ['churchtools', 'optigem'] as const;
export type SystemId = (typeof SYSTEMS)[number];

export function otherSystem(system: SystemId): SystemId {
  return system === 'churchtools' ? 'optigem' : 'churchtools';
}

export type Domain = 'person' | 'transaction';

/**
 * A property value as the adapters hand it to the engine. Adapters normalise dates to
 * `YYYY-MM-DD`, amounts to integer cents and ids to strings; multi-valued fields (Optigem
 * categories, ChurchTools tags or departments) are string arrays.
 */
export type FieldValue = string | number | boolean | null | readonly string[];
export type FieldValues = Readonly<Record<string, FieldValue>>;

export interface SyncRecord {
  /** Stable id within its system (ChurchTools person id, Optigem `Nr`), always a string. */
  readonly id: string;
  readonly properties: FieldValues;
  /** Last modification in UTC (ISO 8601), or null when the system cannot say. */
  readonly modifiedAt: string | null;
  /** Archived records still exist: they take part in matching but are never created from. */
  readonly archived?: boolean;
  /**
   * The partner's id as the record itself remembers it (ChurchTools `optigemId`). Lets a run
   * that died between "create" and "save pair" restore the link instead of duplicating.
   */
  readonly partnerHint?: string | null;
  /**
   * The system refuses to change or delete this record (an immutable ChurchTools booking). The
   * planner writes nothing to it; deleting it means booking a reversal (see SystemPort.remove).
   */
  readonly locked?: boolean;
  /** How people recognise the record, when the system's identity fields do not say it (a booking). */
  readonly label?: string;
}

/** Which property holds each part of a person's identity on one system (for matching). */
export interface IdentityFields {
  readonly firstName: string;
  readonly lastName: string;
  readonly email?: string;
  readonly birthday?: string;
  /** Where the address is kept (street, postcode, town): shown beside a possible duplicate. */
  readonly address?: readonly string[];
}

/** What happens to a value that the value mapping does not cover. */
export type Fallback =
  | { readonly kind: 'block' }
  | { readonly kind: 'skip' }
  | { readonly kind: 'fixed'; readonly churchtools: string | null; readonly optigem: string | null };

export interface ValueMappingEntry {
  readonly churchtools: string;
  readonly optigem: string;
}

export interface ValueMapping {
  readonly entries: readonly ValueMappingEntry[];
  readonly fallback: Fallback;
  /**
   * Several ChurchTools values may mean one Optigem value (a couple's donation booked on either
   * spouse, or on both). Comparison then goes through the Optigem meaning, and the first entry
   * of an Optigem value is what is written to ChurchTools.
   */
  readonly manyToOne?: boolean;
}

/**
 * A ChurchTools property ↔ an Optigem property. `key` is short and stable: it names the field
 * inside a pair's fingerprint, which must stay a few dozen characters.
 */
export interface PropertyPair {
  readonly key: string;
  readonly domain: Domain;
  readonly churchtools: string;
  readonly optigem: string;
  /** For enumerated values (status ↔ category, sex ↔ Geschlecht); absent for plain values. */
  readonly mapping?: ValueMapping;
  /**
   * `donor`: the values are person ids (ChurchTools `donatorId[,donatorSpouseId]`, Optigem
   * Personen-Nr). Their mapping is not configured but derived from the person pairs at plan
   * time, and matching transactions ignores them (spec: "The exception is the donor IDs").
   */
  readonly role?: 'donor';
}

/**
 * One condition row: the record's value (or one of its values) must be among `values`; or,
 * with `range`, lie between `from` and `to` (inclusive, either may be open; ISO dates compare
 * as text). A range row has no `values`.
 */
export interface Condition {
  readonly field: string;
  readonly values: readonly string[];
  readonly range?: ConditionRange;
}

export interface ConditionRange {
  readonly from?: string | null;
  readonly to?: string | null;
}

export type Conditions = Readonly<Record<SystemId, readonly Condition[]>>;

export const PERSON_ACTIONS = [
  'link',
  'import',
  'export',
  'updateProperties',
  'importProperties',
  'exportProperties',
  'archiveInChurchTools',
  'deleteInChurchTools',
  'archiveInOptigem',
  'deleteInOptigem',
] as const;
export type ActionId = (typeof PERSON_ACTIONS)[number];

/** Transactions have no archive (spec §2). */
export const TRANSACTION_ACTIONS: readonly ActionId[] = [
  'link',
  'import',
  'export',
  'updateProperties',
  'importProperties',
  'exportProperties',
  'deleteInChurchTools',
  'deleteInOptigem',
];

export type UnifyMode = 'newerWins' | 'fillEmpty';

export interface LinkOptions {
  readonly mode: UnifyMode;
}

export interface CreateOptions {
  /** Creation defaults on the target system, e.g. ChurchTools `statusId` of an "Optigem" status. */
  readonly defaults: FieldValues;
}

export interface MaintainOptions {
  /**
   * On (default): a field changed on both sides since the last sync is reported as a conflict
   * and left alone. Off: the spec's plain behaviour (newer wins, or the action's direction).
   */
  readonly conflictProtection: boolean;
  /**
   * Bookings only: a ChurchTools booking whose change its update cannot carry (the spouse, the
   * waiver, a missing cost centre) is reversed (storno) and booked anew instead of being
   * reported as not updatable in place. Off unless the admin chooses it.
   */
  readonly rebook?: boolean;
}

export interface ActionOptionsMap {
  link: LinkOptions;
  import: CreateOptions;
  export: CreateOptions;
  updateProperties: MaintainOptions;
  importProperties: MaintainOptions;
  exportProperties: MaintainOptions;
  archiveInChurchTools: Record<string, never>;
  deleteInChurchTools: Record<string, never>;
  archiveInOptigem: Record<string, never>;
  deleteInOptigem: Record<string, never>;
}

export type JobActions = { readonly [A in ActionId]?: ActionOptionsMap[A] };

export interface Job {
  readonly id: string;
  readonly name: string;
  readonly connectionId: string;
  readonly domain: Domain;
  readonly actions: JobActions;
  readonly conditions: Conditions;
  /** Keys of the connection's property pairs this job reads and writes. */
  readonly propertyPairKeys: readonly string[];
  readonly autoRun: boolean;
  /**
   * What an automatic (nightly) run may do beyond the job's last simulation. Absent: the
   * defaults of DEFAULT_UNATTENDED (updates and links only; more creates, archives or deletes
   * than simulated need a fresh simulation).
   */
  readonly unattended?: UnattendedPolicy;
  /** Domain-specific scope handed to the ports' reads, e.g. `{ fiscalYear: '2026' }`. */
  readonly scope?: Readonly<Record<string, string>>;
}

/**
 * `reversed`: the partner is gone and this record could not be deleted, so a reversal (storno)
 * was booked; the record and its reversal stay paired with the gone partner so that no later
 * run exports, links or deletes them again.
 */
export type PairStatus = 'synced' | 'conflict' | 'deleted' | 'reversed';

/**
 * A link between one ChurchTools record and one Optigem record. Kept compact because pairs
 * are stored many to a 10,000-character value. `fp` holds, per property-pair key, a short hash
 * of the canonical value last synced (see fingerprint.ts).
 */
export interface Pair {
  readonly ct: string;
  readonly og: string;
  readonly status: PairStatus;
  readonly fp: string;
  /** Last synced, seconds since the epoch (UTC). */
  readonly at: number;
  /**
   * Half of a couple pair: the Optigem couple record `og` stands for the spouses `ct` and `sp`
   * (the other spouse's ChurchTools id). A couple pair is stored as two pairs, one per spouse,
   * each naming the other here; a pair without `sp` is an ordinary one.
   */
  readonly sp?: string;
}

export interface FieldChange {
  readonly field: string;
  readonly oldValue: FieldValue;
  readonly newValue: FieldValue;
}

export type OperationType =
  | 'link'
  | 'create'
  | 'update'
  | 'archive'
  | 'delete'
  /** A reversal booked instead of deleting a booking ChurchTools will not delete. */
  | 'storno'
  | 'unlink'
  | 'conflict'
  | 'duplicate'
  | 'skip';

export type LogLevel = 'info' | 'warning' | 'error';

/** A message for people: an i18n key plus its arguments, rendered by the UI or the CLI. */
export interface Message {
  readonly key: string;
  readonly args?: Readonly<Record<string, string | number>>;
}

/** What an entry is about: an action, restoring links, pair bookkeeping, or the pre-flight check. */
export type EntryAction = ActionId | 'restore' | 'pairs' | 'preflight';

export interface LogEntry {
  readonly seq: number;
  readonly action: EntryAction;
  readonly type: OperationType;
  /** The system the entry is about (the side written to, for writes). */
  readonly system: SystemId | 'both';
  readonly ctId: string | null;
  readonly ogId: string | null;
  /** Display label of the record(s), e.g. "Müller, Anna". */
  readonly label: string;
  readonly changes: readonly FieldChange[];
  readonly message: Message;
  readonly level: LogLevel;
  /**
   * Simulation leaves entries `planned`; a run journals each write as `pending` before it and
   * `done`/`failed` after it, so a run that died shows exactly what happened.
   */
  readonly state: 'planned' | 'pending' | 'done' | 'failed' | 'skipped';
  readonly error?: Message;
}

/**
 * An admin's answer to a possible duplicate (a record that import or export would create
 * although the target holds a same-name person): link it to one candidate, or create it anyway.
 */
export interface DuplicateDecision {
  /** The system the record to create comes from (Optigem for import, ChurchTools for export). */
  readonly source: SystemId;
  readonly sourceId: string;
  readonly kind: 'link' | 'create';
  /** For `link`: the target record to link with. */
  readonly candidateId?: string;
  /**
   * What the decision was made on (the record and its candidates as they were); a decision
   * whose basis no longer matches is not followed, and the record needs a decision again.
   */
  readonly basis: string;
  readonly decidedAt?: string;
  readonly decidedBy?: string;
}

export type WriteKind = 'create' | 'update' | 'archive' | 'delete' | 'storno' | 'link';

/** Writes an unattended run holds back when the plan goes beyond the last simulation. */
export type GuardedKind = 'create' | 'archive' | 'delete';
export const GUARDED_KINDS: readonly GuardedKind[] = ['create', 'archive', 'delete'];

export interface UnattendedPolicy {
  /** Guarded kinds that may run unattended even beyond the last simulation. */
  readonly allow: readonly GuardedKind[];
  /** How many more operations of a guarded kind than simulated are still no surprise. */
  readonly margin: number;
}

export const DEFAULT_UNATTENDED: UnattendedPolicy = { allow: [], margin: 2 };

export type Counters = Record<SystemId | 'both', Record<WriteKind, number>>;

/**
 * `incomplete`: a read failed or was incomplete, so the plan may miss records (red, like
 * ChurchTools' red triangle); a simulation in this state cannot be run as it is.
 * `failed`: the run stopped on an unexpected error; what it wrote before is in its log.
 */
export type ExecutionStatus = 'running' | 'succeeded' | 'finishedWithErrors' | 'incomplete' | 'refused' | 'cancelled' | 'failed';

export const EXECUTION_STATUSES: readonly ExecutionStatus[] = ['running', 'succeeded', 'finishedWithErrors', 'incomplete', 'refused', 'cancelled', 'failed'];

export interface Execution {
  readonly id: string;
  readonly jobId: string;
  readonly connectionId: string;
  readonly dryRun: boolean;
  readonly status: ExecutionStatus;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly counters: Counters;
  readonly errorCount: number;
  readonly conflictCount: number;
  /** Why a run was refused (safety rule, pre-flight), when it was. */
  readonly refusal?: Message;
  /**
   * Records not created because the target holds a same-name person (a possible duplicate):
   * undecided ones in a simulation, plus those the target system refused as duplicates in a run.
   */
  readonly possibleDuplicateCount?: number;
  /** What failed: the reads of an incomplete execution, the error that stopped a failed run. */
  readonly problems?: readonly Message[];
}

export function emptyCounters(): Counters {
  const zero = (): Record<WriteKind, number> => ({ create: 0, update: 0, archive: 0, delete: 0, storno: 0, link: 0 });
  return { churchtools: zero(), optigem: zero(), both: zero() };
}
