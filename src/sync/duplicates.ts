/**
 * The duplicate guard of import and export (actions 2 and 3). Creating needs a higher bar than
 * not linking: a record is never created where the target system holds a person with the same
 * normalised first and last name — archived or paired ones included — who is not a confident
 * match. Such a record is a *possible duplicate*: the plan shows it with its candidates side by
 * side, and an admin decides to link it to one of them or to create it anyway. The decision is
 * stored with the basis it was made on; when the record or its candidates change, the decision
 * is not followed and the record needs a decision again.
 */
import { canonicalValue } from './canonical.ts';
import { fnv1a } from './fingerprint.ts';
import { type PersonIdentity, personLabel } from './matching.ts';
import type { DuplicateDecision, IdentityFields, SyncRecord, SystemId } from './model.ts';
import { otherSystem } from './model.ts';
import type { PlanBuilder } from './plan-builder.ts';
import { suggestMatches, type SuggestionReason } from './suggestions.ts';

/** A person as the admin compares it: what tells two people apart. */
export interface PersonCard {
  readonly system: SystemId;
  readonly id: string;
  readonly label: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string | null;
  readonly birthday: string | null;
  /** Street, postcode and town as one line, or null when none is known. */
  readonly address: string | null;
  readonly archived: boolean;
  /** Already in a pair with another record, so it cannot be linked to this one. */
  readonly paired: boolean;
}

export interface DuplicateCandidate extends PersonCard {
  /** What the suggestions see in common (same birthday, same e-mail …); empty when nothing. */
  readonly reasons: readonly SuggestionReason[];
}

export type OutdatedReason = 'changed' | 'candidateGone' | 'candidatePaired';

export interface PossibleDuplicate {
  /** The plan entry that reports it. */
  readonly seq: number;
  readonly action: 'import' | 'export';
  readonly record: PersonCard;
  readonly candidates: readonly DuplicateCandidate[];
  /** Identifies the record and its candidates as they are now; a decision stores it. */
  readonly basis: string;
  /** A stored decision that no longer fits, and why it is not followed. */
  readonly outdated?: { readonly decision: DuplicateDecision; readonly reason: OutdatedReason };
}

export type GuardVerdict =
  | { readonly kind: 'create'; readonly force: boolean }
  | { readonly kind: 'link'; readonly candidate: SyncRecord }
  | { readonly kind: 'held' };

const CREATE: GuardVerdict = { kind: 'create', force: false };
const HELD: GuardVerdict = { kind: 'held' };

/**
 * Called once import/export found no match for `record`: whether it may be created, must be
 * linked by decision, or is held as a possible duplicate (noted in the plan).
 */
export function duplicateGuard(
  b: PlanBuilder,
  record: SyncRecord,
  identity: PersonIdentity,
  source: SystemId,
  action: 'import' | 'export',
  note: { readonly label: string; readonly ids: { readonly ctId: string | null; readonly ogId: string | null } },
): GuardVerdict {
  const target = otherSystem(source);
  const same = b.people(target).sameName(identity);
  if (same.length === 0) return CREATE;
  const paired = (id: string) => b.taken[target].has(id);
  const basis = basisOf(identity, same, paired);
  const decision = b.decisionFor(source, record.id);
  let outdated: PossibleDuplicate['outdated'];
  if (decision) {
    const candidate = decision.kind === 'link' ? same.find((c) => c.record.id === decision.candidateId) : undefined;
    if (decision.basis === basis) {
      if (decision.kind === 'create') return { kind: 'create', force: true };
      if (candidate && !paired(candidate.record.id)) return { kind: 'link', candidate: candidate.record };
    }
    const reason: OutdatedReason = decision.kind === 'link' && !candidate ? 'candidateGone' : candidate && paired(candidate.record.id) ? 'candidatePaired' : 'changed';
    outdated = { decision, reason };
  }
  const fields = b.input.identity;
  const candidates = same.map((c) => c.record);
  const reasons = new Map(suggestMatches(record, fields[source], candidates, fields[target], candidates.length).map((s) => [s.record.id, s.reasons]));
  const listed = candidates.map((c) => `${personLabel(c, fields[target])} (#${c.id})`).join('; ');
  const seq = b.note({
    action,
    type: 'duplicate',
    system: target,
    ctId: note.ids.ctId,
    ogId: note.ids.ogId,
    label: note.label,
    level: 'warning',
    message: outdated
      ? { key: `log.create.decisionOutdated.${outdated.reason}`, args: { candidates: listed } }
      : { key: 'log.create.possibleDuplicate', args: { candidates: listed } },
  });
  b.possibleDuplicates.push({
    seq,
    action,
    record: card(record, source, fields[source], b.taken[source].has(record.id)),
    candidates: candidates.map((c) => ({ ...card(c, target, fields[target], paired(c.id)), reasons: reasons.get(c.id) ?? [] })),
    basis,
    ...(outdated ? { outdated } : {}),
  });
  return HELD;
}

/**
 * A short hash of the record's identity and of every candidate's (id, identity, archived,
 * paired): what an admin saw when deciding. Identities are normalised, so a change nobody can
 * see (case, an invisible character) does not undo a decision.
 */
function basisOf(identity: PersonIdentity, same: readonly { record: SyncRecord; identity: PersonIdentity }[], paired: (id: string) => boolean): string {
  const parts = [identityText(identity)];
  const sorted = [...same].sort((a, b) => (a.record.id < b.record.id ? -1 : a.record.id > b.record.id ? 1 : 0));
  for (const c of sorted) parts.push(`${c.record.id}|${identityText(c.identity)}|${c.record.archived ? 'a' : ''}|${paired(c.record.id) ? 'p' : ''}`);
  return fnv1a(parts.join('\u0002')).toString(16).padStart(8, '0');
}

function identityText(identity: PersonIdentity): string {
  return `${identity.key ?? ''}|${identity.email ?? ''}|${identity.birthday ?? ''}`;
}

function card(record: SyncRecord, system: SystemId, fields: IdentityFields, paired: boolean): PersonCard {
  const text = (field: string | undefined) => (field ? canonicalValue(record.properties[field]) : '');
  const address = (fields.address ?? []).map(text).filter((part) => part !== '').join(', ');
  return {
    system,
    id: record.id,
    label: personLabel(record, fields),
    firstName: text(fields.firstName),
    lastName: text(fields.lastName),
    email: text(fields.email) || null,
    birthday: text(fields.birthday) || null,
    address: address || null,
    archived: record.archived === true,
    paired,
  };
}

/** `current` with each of `added` replacing the decision on the same record. */
export function mergeDecisions(current: readonly DuplicateDecision[], added: readonly DuplicateDecision[]): DuplicateDecision[] {
  const key = (d: DuplicateDecision) => `${d.source}|${d.sourceId}`;
  const replaced = new Set(added.map(key));
  return [...current.filter((d) => !replaced.has(key(d))), ...added];
}
