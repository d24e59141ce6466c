/**
 * "No surprises" for unattended runs: the nightly runner compares its fresh plan with the job's
 * last simulation. Updates and links always run (they are what a nightly run is for); creates,
 * archives and deletes run only as far as the admin has seen them in a simulation (plus a small
 * margin), unless the job allows a kind unattended. Anything beyond is left for a fresh
 * simulation and logged as skipped with the reason.
 */
import type { PlanRestriction } from '../sync/engine.ts';
import { DEFAULT_UNATTENDED, GUARDED_KINDS, type Execution, type GuardedKind, type Job } from '../sync/model.ts';
import type { Operation, Plan } from '../sync/plan.ts';

/** The guarded kind of an operation, or null for the kinds that always run (update, link, pair). */
function guardedKind(operation: Operation): GuardedKind | null {
  switch (operation.op) {
    case 'update':
    case 'link':
    case 'pair':
      return null;
    case 'create':
    case 'archive':
    case 'delete':
      return operation.op;
    default:
      // An operation kind added later is held back until it is classified here.
      return 'delete';
  }
}

export interface BeyondSimulation {
  readonly kind: GuardedKind;
  readonly planned: number;
  readonly simulated: number;
}

/** Per guarded kind: what the plan would do, and what the simulation showed. */
function guardedCounts(plan: Plan, simulation: Execution | undefined): BeyondSimulation[] {
  const planned: Record<GuardedKind, number> = { create: 0, archive: 0, delete: 0 };
  for (const operation of plan.operations) {
    const kind = guardedKind(operation);
    if (kind !== null) planned[kind]++;
  }
  const counters = simulation?.counters;
  return GUARDED_KINDS.map((kind) => ({ kind, planned: planned[kind], simulated: counters ? counters.churchtools[kind] + counters.optigem[kind] : 0 }));
}

/** The guarded kinds the plan would do beyond the simulation and the job's margin. */
export function beyondSimulation(plan: Plan, simulation: Execution | undefined, job: Pick<Job, 'unattended'>): BeyondSimulation[] {
  const { margin } = job.unattended ?? DEFAULT_UNATTENDED;
  return guardedCounts(plan, simulation).filter((c) => c.planned > c.simulated + margin);
}

/** The restriction for an unattended run, or null when the plan holds no surprise. */
export function unattendedRestriction(plan: Plan, simulation: Execution | undefined, job: Pick<Job, 'unattended'>): PlanRestriction | null {
  const { allow } = job.unattended ?? DEFAULT_UNATTENDED;
  const held = new Set(beyondSimulation(plan, simulation, job).map((b) => b.kind).filter((kind) => !allow.includes(kind)));
  if (held.size === 0) return null;
  const counts = guardedCounts(plan, simulation);
  return {
    allowed: (operation) => {
      const kind = guardedKind(operation);
      return kind === null || !held.has(kind);
    },
    reason: {
      key: 'nightly.beyondSimulation',
      args: Object.fromEntries(counts.flatMap((c) => [[`${c.kind}Planned`, c.planned], [`${c.kind}Simulated`, c.simulated]])),
    },
  };
}
