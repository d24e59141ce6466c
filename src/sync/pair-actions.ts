/**
 * The steps both domains share: maintaining linked pairs (update / import / export
 * properties), archiving or deleting a record whose partner is gone, and finishing the plan
 * with its mass-change check.
 */
import { type Fingerprint, decodeFingerprint, findRemembered, valueHash } from './fingerprint.ts';
import { type FieldState, PairWork, blockByFallback, comparableValues, fieldState, newerSide, pairDates, skippedByFallback } from './field-sync.ts';
import { isEmptyValue } from './canonical.ts';
import { isCoupleRecord } from './couple-planner.ts';
import { comparable, translate } from './mapping.ts';
import type { ActionId, FieldChange, FieldValue, FieldValues, PropertyPair, SyncRecord, SystemId } from './model.ts';
import { otherSystem } from './model.ts';
import type { Plan } from './plan.ts';
import type { PlanBuilder } from './plan-builder.ts';
import { sortById } from './record-table.ts';

export const DEFAULT_MASS_CHANGE_THRESHOLD = 0.1;

/**
 * The messages without arguments that most entries of a first sync carry, one object each
 * for all of them (entries never change once made): a first sync of 150,000 bookings makes
 * 225,000 entries, and a message object per entry was memory the plan kept.
 */
const MESSAGES = {
  created: Object.freeze({ key: 'log.create.created' }),
  createdAnyway: Object.freeze({ key: 'log.create.createdAnyway' }),
  linked: Object.freeze({ key: 'log.link.linked' }),
  linkedKeptDifferences: Object.freeze({ key: 'log.link.linkedKeptDifferences' }),
  pairConflict: Object.freeze({ key: 'log.pair.conflict' }),
  pairSynced: Object.freeze({ key: 'log.pair.synced' }),
} as const;

export function bothComplete(b: PlanBuilder, action: ActionId, systems: readonly SystemId[]): boolean {
  const incomplete = systems.filter((system) => !b.complete[system]);
  if (incomplete.length === 0) return true;
  b.note({
    action,
    type: 'skip',
    system: incomplete.length > 1 ? 'both' : (incomplete[0] as SystemId),
    ctId: null,
    ogId: null,
    label: '',
    level: 'warning',
    message: { key: 'log.skip.incompleteRead', args: { action, systems: incomplete.join(', '), detail: readProblems(b, incomplete) } },
  });
  return false;
}

/** What went wrong with the reads, so the log says why (wrong token, a failed page …). */
function readProblems(b: PlanBuilder, systems: readonly SystemId[]): string {
  const problems = systems.flatMap((system) => b.input.records[system].problems.map((p) => `${p.what}: ${p.message}`));
  const shown = problems.slice(0, 3).join('; ');
  return problems.length > 3 ? `${shown} (+${problems.length - 3})` : shown;
}

/**
 * Actions 2 and 3 of both domains, once a candidate is known to have no match: the new record's
 * values are the selected properties translated through their mappings (a list target gets only
 * the mapped values), then the creation defaults; the fingerprint remembers every field that
 * means the same on both sides. A value whose mapping says "block" stops this record and the run;
 * one whose mapping says "skip" is left out, with a warning naming the record and field.
 */
/**
 * planCreate's lists by position in b.selected, reused by every creation (150,000 in a first
 * sync of bookings): planning is synchronous and planCreate does not call itself, and every
 * entry it reads is set at its start. Nothing keeps them past the call.
 */
const SCRATCH = {
  sources: [] as (FieldValue | undefined)[],
  written: [] as (FieldValue | undefined)[],
  hashes: [] as (string | undefined)[],
};

export function planCreate(
  b: PlanBuilder,
  record: SyncRecord,
  source: SystemId,
  action: 'import' | 'export',
  options: {
    readonly label: string;
    readonly ids: { readonly ctId: string | null; readonly ogId: string | null };
    readonly defaults: FieldValues;
    readonly lists: ReadonlySet<string>;
    /** An admin decided "create anyway" for this possible duplicate. */
    readonly force?: boolean;
    /** Where the record is in b.sorted(source). */
    readonly position?: number;
    /** The record's comparable values of b.selected, when the caller knows them already. */
    readonly known?: readonly string[];
  },
): void {
  const target = otherSystem(source);
  const values: Record<string, FieldValue> = {};
  const selected = b.selected;
  // Each pair's source value and the value it writes, by position in b.selected: read once,
  // not looked up by field name again (some 1.35 million fields in a first sync of bookings).
  const { sources, written, hashes } = SCRATCH;
  let blocked = false;
  for (let index = 0; index < selected.length; index++) {
    const pair = selected[index] as PropertyPair;
    const sourceValue = record.properties[pair[source]];
    sources[index] = sourceValue;
    written[index] = undefined;
    hashes[index] = undefined;
    if (isEmptyValue(sourceValue)) continue;
    // A plain field is copied as it is (what translate would say, without asking it).
    if (!pair.mapping) {
      values[pair[target]] = sourceValue as FieldValue;
      written[index] = sourceValue;
      continue;
    }
    const translation = translate(pair, source, sourceValue, options.lists.has(pair[target]) ? [] : undefined);
    if (translation.kind === 'block') {
      blockByFallback(b, pair, source, translation);
      blocked = true;
    } else if (translation.kind === 'skip') {
      // The record is created without the field, with the warning the maintenance actions give.
      b.note({ action, type: 'skip', system: target, ...options.ids, label: options.label, level: 'warning', message: skippedByFallback(pair, source, translation) });
    } else {
      values[pair[target]] = translation.value;
      written[index] = translation.value;
    }
  }
  if (blocked) return;
  let byPosition = b.targetsDistinct(target);
  Object.assign(values, options.defaults);
  for (const _ in options.defaults) {
    byPosition = false;
    break;
  }
  const known = options.known;
  for (let index = 0; index < selected.length; index++) {
    const pair = selected[index] as PropertyPair;
    // What the record gets in the pair's field: the pair's own value, unless another pair or
    // a default wrote the same field.
    const value = byPosition ? written[index] : values[pair[target]];
    const sourceValue = sources[index];
    // A plain field copied as it is means the same on both sides (no second comparable); a
    // plain field compares the same on either side, so the source's comparable is the new one's.
    if (!pair.mapping && value === sourceValue) {
      hashes[index] = valueHash(known ? (known[index] as string) : comparable(pair, target, value));
      continue;
    }
    const comparableWritten = comparable(pair, target, value);
    if (comparableWritten === (known ? known[index] : comparable(pair, source, sourceValue))) hashes[index] = valueHash(comparableWritten);
  }
  b.taken[source].add(record.id, options.position);
  // Counted first so that the list is made at its size: a first sync keeps 150,000 of them.
  let fields = 0;
  for (const _ in values) fields++;
  const changes = new Array<FieldChange>(fields);
  let at = 0;
  for (const field in values) changes[at++] = { field, oldValue: null, newValue: values[field] as FieldValue };
  const fp = b.fingerprintAt(hashes);
  b.operation(
    options.force ? { op: 'create', action, target, sourceId: record.id, values, fp, force: true } : { op: 'create', action, target, sourceId: record.id, values, fp },
    {
      action,
      type: 'create',
      system: target,
      ctId: options.ids.ctId,
      ogId: options.ids.ogId,
      label: options.label,
      level: 'info',
      changes,
      message: options.force ? MESSAGES.createdAnyway : MESSAGES.created,
    },
  );
}

/**
 * Unifying two records that were just linked (action 1 of both domains): equal fields are
 * remembered, an empty side is filled, and differing values follow the link option.
 */
export function unify(
  b: PlanBuilder,
  records: Readonly<Record<SystemId, SyncRecord>>,
  mode: 'newerWins' | 'fillEmpty',
  /** The records' comparable values of b.selected, when the caller knows them already. */
  known: Readonly<Record<SystemId, readonly string[]>> = {
    churchtools: comparableValues(b.selected, 'churchtools', records.churchtools),
    optigem: comparableValues(b.selected, 'optigem', records.optigem),
  },
): void {
  const work = new PairWork(b, 'link', records);
  const newer = newerSide(records.churchtools, records.optigem);
  for (let index = 0; index < b.selected.length; index++) {
    const pair = b.selected[index] as PropertyPair;
    const ct = known.churchtools[index] as string;
    const og = known.optigem[index] as string;
    if (ct === og) {
      work.remember(pair, ct);
      continue;
    }
    const state = fieldState(pair, records.churchtools, records.optigem, ct, og);
    // Unifying aligns two records meeting for the first time: an empty value there means "not
    // known yet" and is filled, never spread (the spec's John Smith gets his category in
    // Optigem). Maintenance actions later transfer empty values, as the spec says for them.
    if (ct === '') work.flow(state, 'optigem');
    else if (og === '') work.flow(state, 'churchtools');
    else if (mode === 'fillEmpty') work.keep(state);
    else if (newer) work.flow(state, newer);
    else work.conflict(state, 'undecidable');
  }
  const ids = { ctId: records.churchtools.id, ogId: records.optigem.id };
  const label = b.label('churchtools', records.churchtools, ids.ctId);
  b.operation(
    {
      op: 'link',
      action: 'link',
      ct: ids.ctId,
      og: ids.ogId,
      fp: b.fingerprint(work.refreshed),
      status: work.conflicts.length > 0 ? 'conflict' : 'synced',
    },
    {
      action: 'link',
      type: 'link',
      system: 'both',
      ctId: ids.ctId,
      ogId: ids.ogId,
      label,
      level: 'info',
      changes: work.kept,
      message: work.kept.length > 0 ? MESSAGES.linkedKeptDifferences : MESSAGES.linked,
    },
  );
  work.emitWrites('log.link.unified');
  work.emitConflicts();
}

/**
 * Actions 4–6, on pairs whose records both exist and of which at least one meets its
 * system's conditions (a system without conditions: every pair). The fingerprint tells which
 * side changed since the last sync; only when it cannot tell are modification dates compared.
 */
export function maintainPairs(b: PlanBuilder, action: 'updateProperties' | 'importProperties' | 'exportProperties'): void {
  const protect = b.job.actions[action]?.conflictProtection ?? true;
  // Filled anew for each pair: most pairs need nothing else, so nothing else is allocated.
  const known: Record<SystemId, string[]> = { churchtools: [], optigem: [] };
  for (const pair of b.sortedPairs()) {
    if (pair.status === 'deleted' || pair.status === 'reversed') continue;
    const ct = b.byId.churchtools.get(pair.ct);
    const og = b.byId.optigem.get(pair.og);
    if (!ct || !og) continue;
    if (!b.meets('churchtools', ct) && !b.meets('optigem', og)) continue;
    // A couple record stands for two people: no one person's values go into it, nor its into them.
    if (pair.sp !== undefined || isCoupleRecord(b, og)) continue;
    comparableValues(b.selected, 'churchtools', ct, known.churchtools);
    comparableValues(b.selected, 'optigem', og, known.optigem);
    if (pair.status === 'synced' && inSyncAsRemembered(b, pair.fp, known)) continue;
    const work = new PairWork(b, action, { churchtools: ct, optigem: og });
    const baseline: Fingerprint = pair.fp === '' ? NOTHING_REMEMBERED : decodeFingerprint(pair.fp);
    const since = pairDates(ct, og, pair.at);
    const dates: Dates = { newer: since.newer, settled: pair.status === 'synced' && pair.fp !== '' && since.unchanged };
    for (let index = 0; index < b.selected.length; index++) {
      const field = b.selected[index] as PropertyPair;
      const value = known.churchtools[index] as string;
      if (value === known.optigem[index]) work.remember(field, value);
      else decideField(work, fieldState(field, ct, og, value, known.optigem[index] as string), baseline.get(field.key), action, protect, dates);
    }
    work.emitWrites(action === 'updateProperties' ? 'log.update.newer' : action === 'importProperties' ? 'log.update.imported' : 'log.update.exported');
    work.emitConflicts();
    const status = work.conflicts.length > 0 ? 'conflict' : 'synced';
    const fpPatch: Record<string, string | null> = {};
    let refreshed = false;
    for (const key in work.refreshed) {
      const hash = work.refreshed[key] as string | null;
      if (baseline.get(key) === hash) continue;
      fpPatch[key] = hash;
      refreshed = true;
    }
    if (status !== pair.status || refreshed) {
      b.operation(
        { op: 'pair', action: 'pairs', ct: pair.ct, og: pair.og, change: { kind: 'set', status, fpPatch } },
        {
          action: 'pairs',
          type: 'skip',
          system: 'both',
          ctId: pair.ct,
          ogId: pair.og,
          label: b.pairLabel(ct, og, pair),
          level: 'info',
          message: status === 'conflict' ? MESSAGES.pairConflict : MESSAGES.pairSynced,
        },
      );
    }
  }
}

/** The baseline of a pair that remembers no field (linked by hand, or before any sync): one for all of them. */
const NOTHING_REMEMBERED: Fingerprint = new Map();

/**
 * The common case of a nightly run: every selected field equal on both sides and remembered
 * as such. Checked without building field states, as most pairs end here; fields are taken
 * in fingerprint order so that the fingerprint is read once from left to right.
 */
function inSyncAsRemembered(b: PlanBuilder, fp: string, known: Readonly<Record<SystemId, readonly string[]>>): boolean {
  let from = 0;
  for (const index of b.fingerprintOrder) {
    const value = known.churchtools[index] as string;
    if (value !== known.optigem[index]) return false;
    from = findRemembered(fp, (b.selected[index] as PropertyPair).key, valueHash(value), from);
    if (from === -1) return false;
  }
  return true;
}

/** What the modification dates say about a pair, for fields the fingerprint cannot decide. */
interface Dates {
  /** The record changed later since the last sync (see pairDates). */
  readonly newer: SystemId | null;
  /**
   * Neither record changed since the last sync, which went through the pair's fields (it
   * remembers some) and left it synced: a difference still there is one that sync left in
   * place on purpose (a creation default, "fill empty fields only", a value the mapping skips),
   * and it stays. Without this, our own writes of that sync made their record look newer and
   * overwrote the other side on the next run. A pair that remembers no field (linked by hand)
   * was never gone through: its differences are conflicts until a record changes.
   */
  readonly settled: boolean;
}

/** A field whose two sides differ: which way it flows, or that it is a conflict. */
function decideField(
  work: PairWork,
  state: FieldState,
  baseline: string | undefined,
  action: 'updateProperties' | 'importProperties' | 'exportProperties',
  protect: boolean,
  dates: Dates,
): void {
  const { churchtools: ct, optigem: og } = state.comparable;
  const known = baseline !== undefined;
  const ctChanged = known && valueHash(ct) !== baseline;
  const ogChanged = known && valueHash(og) !== baseline;
  if (protect && ctChanged && ogChanged) {
    work.conflict(state, 'bothChanged');
    return;
  }
  if (action === 'importProperties') work.flow(state, 'optigem');
  else if (action === 'exportProperties') work.flow(state, 'churchtools');
  else if (ctChanged !== ogChanged) work.flow(state, ctChanged ? 'churchtools' : 'optigem');
  else if (dates.newer) work.flow(state, dates.newer);
  else if (!dates.settled) work.conflict(state, 'undecidable');
}

/**
 * Actions 7–10. A pair whose partner no longer exists: the surviving record is archived or
 * deleted when it meets its own system's conditions (the other system's do not matter).
 * "No longer exists" is only believed from a complete read.
 */
export function archiveOrDelete(b: PlanBuilder, actions: ReadonlySet<ActionId>): void {
  const removal: Record<SystemId, 'archive' | 'delete' | null> = {
    churchtools: actions.has('archiveInChurchTools') ? 'archive' : actions.has('deleteInChurchTools') ? 'delete' : null,
    optigem: actions.has('archiveInOptigem') ? 'archive' : actions.has('deleteInOptigem') ? 'delete' : null,
  };
  for (const system of ['churchtools', 'optigem'] as const) {
    const kind = removal[system];
    if (kind) bothComplete(b, actionId(kind, system), [otherSystem(system)]);
  }
  for (const pair of b.sortedPairs()) {
    const ct = b.byId.churchtools.get(pair.ct);
    const og = b.byId.optigem.get(pair.og);
    // Both still there: nothing to do, and most pairs of a run end here.
    if (ct && og) continue;
    const records = { churchtools: ct, optigem: og };
    // A reversed booking and its reversal stay as they are; only their disappearance ends the pair.
    if (pair.status === 'reversed' && records.churchtools) continue;
    const ids = { ctId: pair.ct, ogId: pair.og };
    const label = b.pairLabel(records.churchtools, records.optigem, pair);
    if (!records.churchtools && !records.optigem) {
      if (b.complete.churchtools && b.complete.optigem) {
        b.operation(
          { op: 'pair', action: 'pairs', ct: pair.ct, og: pair.og, change: { kind: 'remove' }, gone: 'both' },
          { action: 'pairs', type: 'unlink', system: 'both', ...ids, label, level: 'info', message: { key: 'log.pair.bothGone' } },
        );
      }
      continue;
    }
    for (const system of ['churchtools', 'optigem'] as const) {
      const survivor = records[system];
      const other = otherSystem(system);
      if (!survivor || records[other] || !b.complete[other]) continue;
      const kind = removal[system];
      // One spouse gone leaves the couple record standing for the other: it is never removed for that.
      const couple = system === 'optigem' && pair.sp !== undefined;
      const acts = kind !== null && !couple && b.meets(system, survivor) && !(kind === 'archive' && survivor.archived);
      if (acts) {
        const action = actionId(kind, system);
        if (kind === 'delete' && survivor.locked) {
          b.operation(
            { op: 'storno', action, target: system, ct: pair.ct, og: pair.og },
            { action, type: 'storno', system, ...ids, label, level: 'warning', message: { key: 'log.remove.willStorno' } },
          );
          continue;
        }
        b.operation(
          { op: kind, action, target: system, ct: pair.ct, og: pair.og },
          { action, type: kind, system, ...ids, label, level: 'info', message: { key: kind === 'archive' ? 'log.remove.archived' : 'log.remove.deleted' } },
        );
      } else if (pair.status !== 'deleted') {
        b.operation(
          { op: 'pair', action: 'pairs', ct: pair.ct, og: pair.og, change: { kind: 'set', status: 'deleted', fpPatch: {} }, gone: other },
          { action: 'pairs', type: 'skip', system: other, ...ids, label, level: 'info', message: { key: 'log.pair.partnerGone', args: { system: other } } },
        );
      }
    }
  }
}

function actionId(kind: 'archive' | 'delete', system: SystemId): ActionId {
  if (system === 'churchtools') return kind === 'archive' ? 'archiveInChurchTools' : 'deleteInChurchTools';
  return kind === 'archive' ? 'archiveInOptigem' : 'deleteInOptigem';
}

/**
 * With the connection setting on, ChurchTools persons show their partner's Optigem number: the
 * pairs whose person does not carry it yet (linked, exported, or linked before the setting was
 * turned on) get it, at most `perRun` per run so that a first sync is not held up by one request
 * per linked person; the rest follow in later runs. A person that carries it already costs
 * nothing. A created ChurchTools person carries it from its create.
 */
function planPartnerNotes(b: PlanBuilder): Plan['partnerNotes'] {
  const setting = b.input.partnerNotes;
  if (!setting || b.job.domain !== 'person' || b.blockers.length > 0) return { notes: [], waiting: 0 };
  const wanted = new Map<string, string>();
  const consider = (ct: string, og: string) => {
    const person = b.byId.churchtools.get(ct);
    if (person && (person.partnerHint ?? '') !== og) wanted.set(ct, og);
  };
  for (const pair of b.sortedPairs()) {
    if (pair.status !== 'deleted' && pair.status !== 'reversed') consider(pair.ct, pair.og);
  }
  for (const op of b.operations) {
    if (op.op === 'link') consider(op.ct, op.og);
    else if (op.op === 'pair' && op.change.kind === 'remove') wanted.delete(op.ct);
    else if (op.op === 'archive' || op.op === 'delete') wanted.delete(op.ct);
  }
  const all = [...wanted].map(([ct, og]) => ({ ct, og }));
  const perRun = Math.max(0, Math.floor(setting.perRun));
  const notes = sortById(all, (note) => note.ct).slice(0, perRun);
  const waiting = all.length - notes.length;
  if (notes.length > 0 || waiting > 0) {
    b.note({
      action: 'pairs',
      type: 'update',
      system: 'churchtools',
      ctId: null,
      ogId: null,
      label: '',
      level: 'info',
      message: { key: 'log.pair.partnerNotes', args: { count: notes.length, waiting } },
    });
  }
  return { notes, waiting, ...(notes.length > 0 || waiting > 0 ? { seq: b.entries[b.entries.length - 1]?.seq ?? 0 } : {}) };
}

export function finish(b: PlanBuilder): Plan {
  const partnerNotes = planPartnerNotes(b);
  const threshold = b.input.massChangeThreshold ?? DEFAULT_MASS_CHANGE_THRESHOLD;
  const count = b.operations.filter((op) => op.op === 'archive' || op.op === 'delete' || op.op === 'storno').length;
  const pairs = b.input.pairs.length;
  return {
    jobId: b.job.id,
    connectionId: b.job.connectionId,
    operations: b.operations,
    entries: b.entries,
    blockers: b.blockers,
    massChange: { count, pairs, threshold, requiresConfirmation: count > 0 && count > threshold * pairs },
    readComplete: b.complete,
    digest: b.digest(),
    possibleDuplicates: b.possibleDuplicates,
    partnerNotes,
  };
}
