/**
 * A plan's blockers grouped by what fixes them, with a count per group, so one simulation shows
 * everything that stands in the way (not one blocker per simulation). Groups are recognised by
 * the message key, so a new blocker kind lands in "other" until it is given its own group.
 */
import type { Message } from './model.ts';

export type BlockerGroupId = 'job' | 'period' | 'mapping' | 'donors' | 'couples' | 'accounts' | 'costCentres' | 'other';

/** What the admin does about a group: where the view sends them. */
export type BlockerFix = 'editJob' | 'openFinance' | 'openPropertyPairs' | 'linkByHand' | 'openPerson' | 'none';

export interface BlockerGroup {
  readonly id: BlockerGroupId;
  readonly fix: BlockerFix;
  /** How many things are wrong: bookings for donors, values for accounts, messages otherwise. */
  readonly count: number;
  readonly blockers: readonly Message[];
}

const ORDER: readonly BlockerGroupId[] = ['job', 'period', 'mapping', 'donors', 'couples', 'accounts', 'costCentres', 'other'];
const FIX: Readonly<Record<BlockerGroupId, BlockerFix>> = {
  job: 'editJob',
  period: 'openFinance',
  mapping: 'openPropertyPairs',
  donors: 'linkByHand',
  couples: 'openPerson',
  accounts: 'openFinance',
  costCentres: 'openFinance',
  other: 'none',
};
const ACCOUNT_FIELDS = new Set(['account', 'contraAccount', 'debitAccount', 'creditAccount', 'accounts']);
const UNIT_FIELDS = new Set(['costCenter', 'project']);

export function blockerGroupOf(message: Message): BlockerGroupId {
  const { key } = message;
  if (key.startsWith('validation.')) return 'job';
  if (/couple/i.test(key)) return 'couples';
  if (key === 'blocker.preflight.donorNotLinked' || key === 'blocker.preflight.moreDonorsNotLinked') return 'donors';
  if (key === 'blocker.unmappedValue' || key === 'blocker.ambiguousValue') return 'mapping';
  if (key === 'blocker.preflight.unknownReference') {
    const field = String(message.args?.['field'] ?? '');
    if (ACCOUNT_FIELDS.has(field)) return 'accounts';
    if (UNIT_FIELDS.has(field)) return 'costCentres';
    return 'other';
  }
  if (key.startsWith('preflight.') || key === 'blocker.preflight.notWritable' || key === 'blocker.preflight.noReferences') return 'period';
  return 'other';
}

/** How many bookings (or values) a blocker stands for. */
function weight(message: Message): number {
  const count = message.args?.['bookings'] ?? (message.key === 'blocker.preflight.moreDonorsNotLinked' ? message.args?.['count'] : undefined);
  return typeof count === 'number' && count > 0 ? count : 1;
}

export function groupBlockers(blockers: readonly Message[]): BlockerGroup[] {
  const byGroup = new Map<BlockerGroupId, Message[]>();
  for (const blocker of blockers) {
    const id = blockerGroupOf(blocker);
    const list = byGroup.get(id);
    if (list) list.push(blocker);
    else byGroup.set(id, [blocker]);
  }
  return ORDER.filter((id) => byGroup.has(id)).map((id) => {
    const list = byGroup.get(id) as Message[];
    return { id, fix: FIX[id], count: list.reduce((sum, blocker) => sum + weight(blocker), 0), blockers: list };
  });
}
