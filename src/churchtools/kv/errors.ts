/** Typed failures of the extension's data store, each carrying what the UI needs to explain it. */
import type { MissingRight } from '../permissions.ts';

/** Someone saved a newer revision since we read; nothing was written. */
export class StaleRevisionError extends Error {
  readonly category: string;
  readonly documentId: string;
  readonly expectedRevision: number | null;
  readonly actualRevision: number | null;

  constructor(category: string, documentId: string, expectedRevision: number | null, actualRevision: number | null) {
    super(
      `${category}/${documentId}: stored revision is ${actualRevision ?? 'none'}, expected ${expectedRevision ?? 'none'}; ` +
        'someone else saved in between. Reload and try again.',
    );
    this.name = 'StaleRevisionError';
    this.category = category;
    this.documentId = documentId;
    this.expectedRevision = expectedRevision;
    this.actualRevision = actualRevision;
  }
}

/** A stored value that cannot be read. It is reported and never overwritten or deleted. */
export interface KvProblem {
  readonly category: string;
  readonly valueId: number;
  readonly reason: string;
  /** The document's id, when it could still be read from the broken value. */
  readonly documentId?: string;
}

export class CorruptValueError extends Error {
  readonly problems: readonly KvProblem[];

  constructor(problems: readonly KvProblem[], what: string) {
    super(
      `${what}: ${problems.map((p) => `${p.category} value ${p.valueId}: ${p.reason}`).join('; ')}. ` +
        'The value is left untouched; repair or remove it in ChurchTools.',
    );
    this.name = 'CorruptValueError';
    this.problems = problems;
  }
}

/** The current user lacks rights on the extension module; `rights` lists exactly what to grant. */
export class KvRightsError extends Error {
  readonly rights: readonly MissingRight[];

  constructor(message: string, rights: readonly MissingRight[]) {
    super(`${message} Missing: ${rights.map((r) => `${r.module}: "${r.permission}"${r.ids ? ` (${r.ids.join(', ')})` : ''}`).join(', ')}`);
    this.name = 'KvRightsError';
    this.rights = rights;
  }
}

export class ValueTooLargeError extends Error {
  readonly length: number;

  constructor(what: string, length: number, max: number) {
    super(`${what} needs ${length} characters; a ChurchTools data value holds at most ${max}.`);
    this.name = 'ValueTooLargeError';
    this.length = length;
  }
}

/** A run lock held by another run. */
export class LockHeldError extends Error {
  /** The lock's name (connection and domain). */
  readonly jobId: string;
  readonly owner: string;
  readonly expiresAt: string;
  /** Since when the other run holds it (ISO), and which job it runs, when the claim says. */
  readonly since: string | null;
  readonly holderJobId: string | null;
  readonly holderJobName: string | null;

  constructor(jobId: string, owner: string, expiresAt: string, holder: { since?: string; jobId?: string; jobName?: string } = {}) {
    super(`${holder.jobName ? `Job "${holder.jobName}"` : `Lock ${jobId}`} is already running (since ${holder.since ?? 'unknown'}, by ${owner}); its lock lasts until ${expiresAt}.`);
    this.name = 'LockHeldError';
    this.jobId = jobId;
    this.owner = owner;
    this.expiresAt = expiresAt;
    this.since = holder.since ?? null;
    this.holderJobId = holder.jobId ?? null;
    this.holderJobName = holder.jobName ?? null;
  }
}

/** Our run's lock is gone (an admin broke it) or was taken over after it expired. */
export class LockLostError extends Error {
  readonly lockId: string;
  readonly holder: string | null;

  constructor(lockId: string, holder: string | null) {
    super(`The run lock ${lockId} was lost${holder ? ` to ${holder}` : ''}; the run stops before its next write.`);
    this.name = 'LockLostError';
    this.lockId = lockId;
    this.holder = holder;
  }
}
