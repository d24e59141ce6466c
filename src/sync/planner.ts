/**
 * From a job and the current data of both systems to a plan. One function for simulation and
 * run. The actions run in the spec's order: create pairs (link, import, export), maintain pairs
 * (update / import / export properties), then archive or delete.
 */
import { valueHash } from './fingerprint.ts';
import { fieldStates } from './field-sync.ts';
import { comparable } from './mapping.ts';
import { compatible, identityOf, personLabel } from './matching.ts';
import type { SyncRecord, SystemId } from './model.ts';
import { otherSystem } from './model.ts';
import type { Plan } from './plan.ts';
import { PlanBuilder } from './plan-builder.ts';
import { planCouples } from './couple-planner.ts';
import { archiveOrDelete, bothComplete, finish, maintainPairs, planCreate, unify } from './pair-actions.ts';
import type { PlanInput } from './plan-builder.ts';
import { planTransactions } from './transaction-planner.ts';
import { validateJob } from './validate.ts';
import { duplicateGuard } from './duplicates.ts';

export { DEFAULT_MASS_CHANGE_THRESHOLD } from './pair-actions.ts';
export type { PlanInput } from './plan-builder.ts';

export function planJob(input: PlanInput): Plan {
  if (input.job.domain === 'transaction') return planTransactions(input);
  const b = new PlanBuilder(input);
  for (const issue of validateJob(input.job, input.propertyPairs)) {
    b.blocker({ key: issue.message.key, args: { ...issue.message.args, path: issue.path } }, `validation|${issue.path}`);
  }
  if (b.blockers.length === 0) {
    const actions = b.selectedActions();
    if (actions.has('link') || actions.has('import') || actions.has('export')) {
      planCouples(b);
      restoreFromPartnerHints(b);
    }
    if (actions.has('link')) linkAndUnify(b);
    if (actions.has('import')) createMissing(b, 'optigem', 'import');
    if (actions.has('export')) createMissing(b, 'churchtools', 'export');
    const maintain = (['updateProperties', 'importProperties', 'exportProperties'] as const).find((a) => actions.has(a));
    if (maintain) maintainPairs(b, maintain);
    archiveOrDelete(b, actions);
  }
  return finish(b);
}

/**
 * A ChurchTools person remembers its Optigem number (`optigemId`). When the pair for it is
 * missing (a run died between creating and saving pairs) and the two still look like the same
 * person, the pair is restored instead of a duplicate being created.
 */
function restoreFromPartnerHints(b: PlanBuilder): void {
  for (const system of ['churchtools', 'optigem'] as const) {
    const other = otherSystem(system);
    const own = b.sorted(system);
    for (let position = 0; position < own.length; position++) {
      const record = own[position] as SyncRecord;
      const hint = record.partnerHint;
      if (!hint || b.taken[system].has(record.id, position) || b.taken[other].has(hint)) continue;
      const partner = b.byId[other].get(hint);
      if (!partner) continue;
      const records = system === 'churchtools' ? { churchtools: record, optigem: partner } : { churchtools: partner, optigem: record };
      const same = compatible(
        identityOf(records.churchtools, b.input.identity.churchtools),
        identityOf(records.optigem, b.input.identity.optigem),
      );
      const label = b.label('churchtools', records.churchtools, records.churchtools.id);
      const ids = { ctId: records.churchtools.id, ogId: records.optigem.id };
      if (!same) {
        b.note({ action: 'restore', type: 'skip', system: 'both', ...ids, label, level: 'warning', message: { key: 'log.restore.mismatch' } });
        continue;
      }
      b.taken[system].add(record.id, position);
      b.taken[other].add(hint);
      b.operation(
        { op: 'link', action: 'restore', ct: ids.ctId, og: ids.ogId, fp: equalFieldsFingerprint(b, records), status: 'synced' },
        { action: 'restore', type: 'link', system: 'both', ...ids, label, level: 'info', message: { key: 'log.restore.linked' } },
      );
    }
  }
}

function equalFieldsFingerprint(b: PlanBuilder, records: Readonly<Record<SystemId, SyncRecord>>): string {
  const hashes: Record<string, string> = {};
  for (const state of fieldStates(b.selected, records.churchtools, records.optigem)) {
    if (state.comparable.churchtools === state.comparable.optigem) hashes[state.pair.key] = valueHash(state.comparable.churchtools);
  }
  return b.fingerprint(hashes);
}

/**
 * Action 1. Candidates are unpaired records meeting their own system's conditions, on both
 * sides; each is searched for in the whole other system (no conditions). A link needs the
 * match to be unique in both directions, so that neither side has a second equally good
 * candidate.
 */
function linkAndUnify(b: PlanBuilder): void {
  if (!bothComplete(b, 'link', ['churchtools', 'optigem'])) return;
  const mode = b.job.actions.link?.mode ?? 'newerWins';

  for (const system of ['churchtools', 'optigem'] as const) {
    const other = otherSystem(system);
    const records = b.sorted(system);
    for (let position = 0; position < records.length; position++) {
      const record = records[position] as SyncRecord;
      if (b.taken[system].has(record.id, position) || record.archived || !b.meets(system, record)) continue;
      // Records paired already, before or by this plan, are no candidates.
      const found = b.people(other).find(b.identity(system, position), b.taken[other]);
      if (found.kind === 'none') continue;
      const back = found.kind === 'unique' ? b.people(system).find(found.identity, b.taken[system]) : null;
      if (found.kind === 'duplicate' || back?.kind !== 'unique' || back.record.id !== record.id) {
        const candidates = found.kind === 'duplicate' ? found.candidates : back?.kind === 'duplicate' ? back.candidates : [];
        b.note({
          action: 'link',
          type: 'duplicate',
          system: found.kind === 'duplicate' ? other : system,
          ctId: system === 'churchtools' ? record.id : null,
          ogId: system === 'optigem' ? record.id : null,
          label: b.label(system, record, record.id),
          level: 'warning',
          message: {
            key: 'log.link.duplicate',
            args: {
              candidates: candidates.map((c) => `${personLabel(c, b.input.identity[found.kind === 'duplicate' ? other : system])} (#${c.id})`).join('; '),
            },
          },
        });
        continue;
      }
      const pair = system === 'churchtools' ? { churchtools: record, optigem: found.record } : { churchtools: found.record, optigem: record };
      b.taken[system].add(record.id, position);
      b.taken[other].add(found.record.id, found.position);
      unify(b, pair, mode);
    }
  }
}

/**
 * Actions 2 and 3. Import reads candidates from Optigem (its conditions), export from
 * ChurchTools. A candidate that matches any record of the target system, paired or not,
 * conditions or not, creates nothing: that is how the spec avoids duplicates. One without a
 * match still passes the duplicate guard (duplicates.ts) before it is created.
 */
function createMissing(b: PlanBuilder, source: SystemId, action: 'import' | 'export'): void {
  const target = otherSystem(source);
  if (!bothComplete(b, action, [target])) return;
  const lists = new Set(b.input.listFields?.[target] ?? []);
  const defaults = b.job.actions[action]?.defaults ?? {};
  const records = b.sorted(source);
  for (let position = 0; position < records.length; position++) {
    const record = records[position] as SyncRecord;
    if (b.taken[source].has(record.id, position) || record.archived || !b.meets(source, record)) continue;
    const label = b.label(source, record, record.id);
    const ids = source === 'churchtools' ? { ctId: record.id, ogId: null } : { ctId: null, ogId: record.id };
    // Built on the first candidate (a nightly run usually has none), shared with linking.
    const found = b.people(target).find(b.identity(source, position));
    if (found.kind !== 'none') {
      const matches = found.kind === 'unique' ? [found.record] : found.candidates;
      b.note({
        action,
        type: 'skip',
        system: target,
        ...ids,
        label,
        level: 'info',
        message: {
          key: 'log.create.exists',
          args: { matches: matches.map((m) => `${personLabel(m, b.input.identity[target])} (#${m.id})`).join('; ') },
        },
      });
      continue;
    }
    const verdict = duplicateGuard(b, record, b.identity(source, position), source, action, { label, ids });
    if (verdict.kind === 'held') continue;
    if (verdict.kind === 'link') {
      linkByDecision(b, record, verdict.candidate, source, action);
      continue;
    }
    planCreate(b, record, source, action, { label, ids, defaults, lists, force: verdict.force, position });
  }
}

/**
 * An admin decided that a possible duplicate is the candidate: they are linked as a pair made
 * by hand is, remembering only the fields that agree, so differences stay visible to the
 * maintenance actions instead of one side silently overwriting the other.
 */
function linkByDecision(b: PlanBuilder, record: SyncRecord, candidate: SyncRecord, source: SystemId, action: 'import' | 'export'): void {
  const records = source === 'churchtools' ? { churchtools: record, optigem: candidate } : { churchtools: candidate, optigem: record };
  const ids = { ctId: records.churchtools.id, ogId: records.optigem.id };
  b.taken.churchtools.add(ids.ctId);
  b.taken.optigem.add(ids.ogId);
  b.operation(
    { op: 'link', action, ct: ids.ctId, og: ids.ogId, fp: equalFieldsFingerprint(b, records), status: 'synced' },
    { action, type: 'link', system: 'both', ...ids, label: b.label('churchtools', records.churchtools, ids.ctId), level: 'info', message: { key: 'log.create.linkedByDecision' } },
  );
}

