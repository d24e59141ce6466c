import type { Plan } from './plan.ts';
import type { PlanInput } from './plan-builder.ts';
import { PlanBuilder } from './plan-builder.ts';
import { finish } from './pair-actions.ts';

export function planTransactions(input: PlanInput): Plan {
  return finish(new PlanBuilder(input));
}
