/**
 * Job validation: the rules a job must satisfy before it is saved or run. The same function
 * serves the job editor, the stored-document import and the engine, so they never disagree.
 */
import { PROPERTY_PAIR_KEY_PATTERN } from './fingerprint.ts';
import type { ActionId, Job, Message, PropertyPair } from './model.ts';
import { PERSON_ACTIONS, SYSTEMS, TRANSACTION_ACTIONS } from './model.ts';

export interface ValidationIssue {
  /** Where in the job, e.g. `actions.updateProperties` or `conditions.optigem[0].values`. */
  readonly path: string;
  readonly message: Message;
}

/** Groups of actions of which a job may select at most one (spec: they contradict each other). */
export const EXCLUSIVE_ACTIONS: readonly (readonly ActionId[])[] = [
  ['updateProperties', 'importProperties', 'exportProperties'],
  ['archiveInChurchTools', 'deleteInChurchTools'],
  ['archiveInOptigem', 'deleteInOptigem'],
];

export function selectedActions(job: Pick<Job, 'actions'>): ActionId[] {
  return PERSON_ACTIONS.filter((action) => job.actions[action] !== undefined);
}

export function validateJob(job: Job, propertyPairs: readonly PropertyPair[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const selected = selectedActions(job);
  if (job.name.trim() === '') issues.push({ path: 'name', message: { key: 'validation.nameMissing' } });
  if (selected.length === 0) issues.push({ path: 'actions', message: { key: 'validation.noAction' } });

  for (const group of EXCLUSIVE_ACTIONS) {
    const chosen = group.filter((action) => selected.includes(action));
    if (chosen.length > 1) {
      issues.push({
        path: `actions.${chosen[1]}`,
        message: { key: 'validation.exclusiveActions', args: { actions: chosen.join(', ') } },
      });
    }
  }

  if (job.domain === 'transaction') {
    for (const action of selected.filter((a) => !TRANSACTION_ACTIONS.includes(a))) {
      issues.push({ path: `actions.${action}`, message: { key: 'validation.actionNotForTransactions', args: { action } } });
    }
    if (!/^\d{4}$/.test(job.scope?.['fiscalYear'] ?? '')) {
      issues.push({ path: 'scope.fiscalYear', message: { key: 'validation.fiscalYearMissing' } });
    }
  }

  const link = job.actions.link;
  if (link && link.mode !== 'newerWins' && link.mode !== 'fillEmpty') {
    issues.push({ path: 'actions.link.mode', message: { key: 'validation.linkMode' } });
  }

  const byKey = new Map(propertyPairs.map((pair) => [pair.key, pair]));
  job.propertyPairKeys.forEach((key, index) => {
    const pair = byKey.get(key);
    if (!pair) {
      issues.push({ path: `propertyPairKeys[${index}]`, message: { key: 'validation.unknownPropertyPair', args: { key } } });
    } else if (pair.domain !== job.domain) {
      issues.push({ path: `propertyPairKeys[${index}]`, message: { key: 'validation.propertyPairDomain', args: { key } } });
    }
  });
  for (const pair of propertyPairs) {
    if (!PROPERTY_PAIR_KEY_PATTERN.test(pair.key)) {
      issues.push({ path: `propertyPairs.${pair.key}`, message: { key: 'validation.propertyPairKey', args: { key: pair.key } } });
    }
  }
  const writes = selected.some((a) => a !== 'archiveInChurchTools' && a !== 'deleteInChurchTools' && a !== 'archiveInOptigem' && a !== 'deleteInOptigem' && a !== 'link');
  if (writes && job.propertyPairKeys.length === 0) {
    issues.push({ path: 'propertyPairKeys', message: { key: 'validation.noPropertyPairs' } });
  }

  for (const system of SYSTEMS) {
    job.conditions[system].forEach((condition, index) => {
      if (condition.field.trim() === '') {
        issues.push({ path: `conditions.${system}[${index}].field`, message: { key: 'validation.conditionField' } });
      }
      const range = condition.range;
      if (range) {
        const from = range.from ?? '';
        const to = range.to ?? '';
        if (from === '' && to === '') {
          issues.push({ path: `conditions.${system}[${index}].range`, message: { key: 'validation.conditionRangeEmpty' } });
        } else if (from !== '' && to !== '' && from > to) {
          issues.push({ path: `conditions.${system}[${index}].range`, message: { key: 'validation.conditionRangeOrder', args: { from, to } } });
        }
      } else if (condition.values.length === 0) {
        issues.push({ path: `conditions.${system}[${index}].values`, message: { key: 'validation.conditionValues' } });
      }
    });
  }
  return issues;
}
