/**
 * What a plan is: the ordered operations a run will execute and the log entries that explain
 * them. Simulation and run share it: a run executes exactly the plan a simulation showed,
 * unless the data changed in between (then the digest differs).
 */
import type { FingerprintPatch } from './fingerprint.ts';
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
}

export type Operation = LinkOperation | CreateOperation | UpdateOperation | RemoveOperation | PairOperation;

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
}

export function isWrite(operation: Operation): operation is WriteOperation {
  return operation.op !== 'pair';
}
