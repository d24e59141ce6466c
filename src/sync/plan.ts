/**
 * What a plan is: the ordered operations a run will execute and the log entries that explain
 * them. Simulation and run share it: a run executes exactly the plan a simulation showed,
 * unless the data changed in between (then the digest differs).
 */
import type { FingerprintPatch } from './fingerprint.ts';
import type { PossibleDuplicate } from './duplicates.ts';
import type { EntryAction, FieldValues, LogEntry, Message, PairStatus, SystemId } from './model.ts';

interface OperationBase {
  readonly seq: number;
  readonly action: EntryAction;
}

/** Make a pair of two existing records. */
export interface LinkOperation extends OperationBase {
  readonly op: 'link';
  readonly ct: string;
  readonly og: string;
  readonly fp: string;
  /** `conflict` when unifying found differences it could not decide. */
  readonly status: PairStatus;
}

/** Create a record on `target` from `sourceId`, then pair them. */
export interface CreateOperation extends OperationBase {
  readonly op: 'create';
  readonly target: SystemId;
  readonly sourceId: string;
  readonly values: FieldValues;
  readonly fp: string;
  /**
   * An admin decided to create this record although the target holds a same-name person, so
   * the target's own duplicate check may be overridden (ChurchTools `force=true`).
   */
  readonly force?: true;
}

/** Write selected properties of one paired record; on success the pair's fingerprint is patched. */
export interface UpdateOperation extends OperationBase {
  readonly op: 'update';
  readonly target: SystemId;
  readonly ct: string;
  readonly og: string;
  readonly values: FieldValues;
  readonly expectedModifiedAt: string | null;
  readonly fpPatch: FingerprintPatch;
  /**
   * recordHash of the target record as the plan read it. A port without conditional writes
   * (ChurchTools) re-reads the record right before writing; a different hash means someone
   * changed it during the run, and the write is skipped rather than overwriting that change.
   */
  readonly base: string;
}

/**
 * A ChurchTools booking its update cannot change (the published TransactionUpdate has no spouse,
 * no waiver, needs a cost centre): reversed with a storno and booked anew with `values`, the
 * whole new booking. The pair moves to the new booking; the old one and its storno stay paired
 * as `reversed`, so no later run exports or deletes them.
 */
export interface RebookOperation extends OperationBase {
  readonly op: 'rebook';
  readonly target: 'churchtools';
  readonly ct: string;
  readonly og: string;
  readonly values: FieldValues;
  readonly fpPatch: FingerprintPatch;
}

/**
 * `storno`: the record is one its system will not delete (an immutable booking, a closed
 * period), so removing it books a reversal; planned as such so the simulation says so.
 */
export interface RemoveOperation extends OperationBase {
  readonly op: 'archive' | 'delete' | 'storno';
  readonly target: SystemId;
  readonly ct: string;
  readonly og: string;
}

/** Pair bookkeeping without a write: status, refreshed baselines, or forgetting a dead pair. */
export interface PairOperation extends OperationBase {
  readonly op: 'pair';
  readonly ct: string;
  readonly og: string;
  readonly change:
    | { readonly kind: 'set'; readonly status: PairStatus; readonly fpPatch: FingerprintPatch }
    | { readonly kind: 'remove' };
  /** The side(s) this change believes gone; the run confirms that by id before making it. */
  readonly gone?: SystemId | 'both';
}

/** A pair whose ChurchTools person should be told its Optigem number (connection setting). */
export interface PartnerNote {
  readonly ct: string;
  readonly og: string;
}

/** A spouse of a couple pair: a ChurchTools person that exists, or one to create from `values`. */
export type CoupleSpouse = { readonly ct: string } | { readonly values: FieldValues };

/**
 * Pair one Optigem couple record with the two ChurchTools spouses it stands for: create the
 * spouses missing in ChurchTools, link the two as spouses when they are not yet (`relate`),
 * then store the couple pair. Nothing is written to the couple record.
 */
export interface CoupleOperation extends OperationBase {
  readonly op: 'couple';
  readonly og: string;
  readonly spouses: readonly [CoupleSpouse, CoupleSpouse];
  readonly relate: boolean;
}

export type Operation = LinkOperation | CreateOperation | UpdateOperation | RebookOperation | RemoveOperation | PairOperation | CoupleOperation;

export type WriteOperation = Exclude<Operation, PairOperation>;

export interface MassChange {
  /** Archive, delete and storno operations in the plan. */
  readonly count: number;
  /** Pairs of the connection and domain before the run. */
  readonly pairs: number;
  readonly threshold: number;
  readonly requiresConfirmation: boolean;
}

export interface Plan {
  readonly jobId: string;
  readonly connectionId: string;
  readonly operations: readonly Operation[];
  /** Every entry, in order: one per write, plus conflicts, duplicates and skips. */
  readonly entries: readonly LogEntry[];
  /** Pre-flight failures. A plan with blockers writes nothing. */
  readonly blockers: readonly Message[];
  readonly massChange: MassChange;
  readonly readComplete: Readonly<Record<SystemId, boolean>>;
  /** Changes whenever the operations would change; "run exactly this" compares it. */
  readonly digest: string;
  /** Records import/export did not create because they need an admin's decision. */
  readonly possibleDuplicates: readonly PossibleDuplicate[];
  /**
   * ChurchTools persons to be given their partner's Optigem number in this run (at most the
   * connection's number per run), and how many more wait for later runs. Empty unless the
   * connection asks for the number on the person.
   */
  readonly partnerNotes: {
    readonly notes: readonly PartnerNote[];
    readonly waiting: number;
    /** The log entry that reports them; the run writes the notes when it reaches it. */
    readonly seq?: number;
  };
}

export function isWrite(operation: Operation): operation is WriteOperation {
  return operation.op !== 'pair';
}
