/**
 * Unattended runs (the nightly runner) may only do what an admin has seen or allowed: a plan is
 * narrowed to the operations a predicate allows, and every dropped write stays in the log as
 * skipped, with the reason, so the report shows what the run left for a person.
 */
import type { LogEntry, Message } from './model.ts';
import type { Operation, Plan } from './plan.ts';

export function restrictPlan(plan: Plan, allowed: (operation: Operation) => boolean, reason: Message): { plan: Plan; skipped: number } {
  const dropped = new Set<number>();
  for (const operation of plan.operations) if (!allowed(operation)) dropped.add(operation.seq);
  if (dropped.size === 0) return { plan, skipped: 0 };
  const entries: LogEntry[] = plan.entries.map((entry) => (dropped.has(entry.seq) ? { ...entry, state: 'skipped', level: 'warning', message: reason } : entry));
  return { plan: { ...plan, operations: plan.operations.filter((operation) => !dropped.has(operation.seq)), entries }, skipped: dropped.size };
}
