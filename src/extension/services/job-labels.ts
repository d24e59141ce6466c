// How jobs are named to people: an action's label depends on the domain ("Buchungen importieren",
// not "Personen importieren"), and a job's domain is shown with its fiscal year.
import { TRANSACTION_ACTIONS, type ActionId, type Domain, type EntryAction, type Job, type Message } from '../../sync/model.ts';

/** i18n key of an action's label in a domain; the engine's `action.*` texts speak of people. */
export function actionLabelKey(domain: Domain, action: ActionId): string {
  return domain === 'transaction' && TRANSACTION_ACTIONS.includes(action) ? `transactionAction.${action}` : `action.${action}`;
}

/** i18n key of what a log entry is about: its action in the job's domain, or restore/pairs/pre-flight. */
export function entryActionKey(domain: Domain, action: EntryAction): string {
  return action === 'restore' || action === 'pairs' || action === 'preflight' ? `action.${action}` : actionLabelKey(domain, action);
}

/** "Personen", or "Buchungen 2026" for a transaction job. */
export function domainMessage(job: Pick<Job, 'domain' | 'scope'>): Message {
  if (job.domain === 'transaction') return { key: 'jobs.domainOf.transaction', args: { year: job.scope?.['fiscalYear'] ?? '?' } };
  return { key: 'jobs.domainOf.person' };
}
