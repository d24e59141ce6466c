/**
 * Executes a plan: each write is journalled as pending, performed through its port, then
 * journalled as done or failed. A pair is made right after its create succeeds and pairs are
 * saved every few thousand writes, so a run that dies loses at most the pairs since the last
 * save — and those are restored from the partner ids the records carry (see planner's restore
 * step) or found again by matching. A failed operation does not stop the independent ones after it.
 */
import { confirmAbsences } from './absence.ts';
import { applyFingerprintPatch, recordHash } from './fingerprint.ts';
import type { Counters, Domain, LogEntry, Message, Pair, SyncRecord, SystemId, WriteKind } from './model.ts';
import { emptyCounters, otherSystem } from './model.ts';
import type { Operation, Plan, UpdateOperation } from './plan.ts';
import type { CancelSignal, Clock, PairStore, ProgressSink, SystemPort } from './ports.ts';
import { POSSIBLE_DUPLICATE, PortError } from './ports.ts';

/** Records re-read per request right before writing them (keeps `ids[]=…` URLs short). */
export const REREAD_BATCH = 100;

export interface ExecuteContext {
  readonly domain: Domain;
  readonly connectionId: string;
  readonly ports: Readonly<Record<SystemId, SystemPort>>;
  readonly pairStore: PairStore;
  readonly pairs: readonly Pair[];
  readonly sink: ProgressSink;
  readonly clock: Clock;
  readonly signal?: CancelSignal;
  /** Save pairs after this many changes that wrote to a system (default FLUSH_EVERY), and at the end. */
  readonly flushEvery?: number;
}

/**
 * Writes between two pair saves. A save of appended pairs writes about one chunk value per
 * thousand pairs plus the head, so fewer saves cost fewer writes; and what a run that dies had
 * not saved costs nothing but the next run's restore (created records carry their partner's id,
 * links are found again). No time cadence: at ChurchTools' pace a 10,000-person import takes
 * about 17 minutes, and the 15 s cadence this replaces saved about 70 times in that import.
 */
export const FLUSH_EVERY = 5_000;

export interface ExecuteResult {
  readonly entries: readonly LogEntry[];
  readonly counters: Counters;
  readonly errorCount: number;
  /** Creates the target system refused because a person with the same name exists. */
  readonly possibleDuplicates: number;
  readonly cancelled: boolean;
}

export function errorMessage(error: unknown): Message {
  if (error instanceof PortError) return { key: `error.${error.code}`, args: { ...error.args, detail: error.message } };
  return { key: 'error.unexpected', args: { detail: error instanceof Error ? error.message : String(error) } };
}

export async function executePlan(plan: Plan, context: ExecuteContext): Promise<ExecuteResult> {
  const pairs = new Map(context.pairs.map((pair) => [pair.ct, pair]));
  const operations = new Map(plan.operations.map((op) => [op.seq, op]));
  const counters = emptyCounters();
  const journal: LogEntry[] = [];
  // Only changes that wrote to a system set the cadence: a link or a pair's new status wrote
  // nothing anywhere, is planned again after a crash, and rides along with the next save (a
  // first sync's 25,000 links alone made 25 saves).
  const flushEvery = context.flushEvery ?? FLUSH_EVERY;
  let unsaved = 0;
  let unsavedWrites = 0;
  let errorCount = 0;
  let possibleDuplicates = 0;
  let cancelled = false;
  const now = () => Math.floor(context.clock.now().getTime() / 1000);

  const save = async () => {
    if (unsaved === 0) return;
    await context.pairStore.save(context.connectionId, context.domain, [...pairs.values()]);
    unsaved = 0;
    unsavedWrites = 0;
  };
  const record = async (entry: LogEntry) => {
    if (entry.state !== 'pending') journal.push(entry);
    await context.sink.entry(entry);
  };
  // Noting the partner writes to the record (ChurchTools' `optigemId`) after the pair was made:
  // the pair's time must come after that write, or the next run takes it for a change.
  // The connection setting decides whether a run notes partners at all (plan.partnerNotes).
  const restamp = (ct: string) => {
    const pair = pairs.get(ct);
    if (pair) pairs.set(ct, { ...pair, at: now() });
  };
  const count = (system: SystemId | 'both', kind: WriteKind) => {
    counters[system][kind]++;
  };

  // Re-reads for ports without conditional writes, a batch ahead of the writes in plan order.
  const upcoming: Record<SystemId, string[]> = { churchtools: [], optigem: [] };
  for (const op of plan.operations) if (op.op === 'update' && context.ports[op.target].reread) upcoming[op.target].push(idOf(op));
  const fresh: Record<SystemId, Map<string, SyncRecord | null>> = { churchtools: new Map(), optigem: new Map() };
  const next: Record<SystemId, number> = { churchtools: 0, optigem: 0 };
  const current = async (op: UpdateOperation): Promise<SyncRecord | null | undefined> => {
    const port = context.ports[op.target];
    if (!port.reread) return undefined;
    const id = idOf(op);
    const known = fresh[op.target];
    if (!known.has(id)) {
      const queue = upcoming[op.target];
      const batch: string[] = [id];
      while (next[op.target] < queue.length && batch.length < REREAD_BATCH) {
        const candidate = queue[next[op.target]++] as string;
        if (!known.has(candidate) && !batch.includes(candidate)) batch.push(candidate);
      }
      const answer = await port.reread(context.domain, batch);
      for (const asked of batch) known.set(asked, answer.get(asked) ?? null);
    }
    return known.get(id) ?? null;
  };

  /** One entry for all notes: a first sync may note thousands, each one request. */
  const notePartners = async (entry: LogEntry): Promise<LogEntry> => {
    const port = context.ports.churchtools;
    let written = 0;
    let failed = 0;
    let firstError: Message | undefined;
    for (const note of plan.partnerNotes.notes) {
      if (context.signal?.aborted || !port.notePartner) break;
      try {
        await port.notePartner(context.domain, note.ct, note.og);
        restamp(note.ct);
        unsaved++;
        unsavedWrites++;
        written++;
      } catch (error) {
        failed++;
        firstError ??= errorMessage(error);
      }
    }
    errorCount += failed;
    const waiting = plan.partnerNotes.waiting + plan.partnerNotes.notes.length - written;
    const message: Message = { key: 'log.pair.partnerNotes', args: { count: written, waiting } };
    return firstError ? { ...entry, message, level: 'error', error: firstError } : { ...entry, message };
  };

  const perform = async (op: Operation, entry: LogEntry): Promise<LogEntry> => {
    const { ports, domain } = context;
    switch (op.op) {
      case 'pair': {
        if (op.change.kind === 'remove') pairs.delete(op.ct);
        else {
          const pair = pairs.get(op.ct);
          if (pair) pairs.set(op.ct, { ...pair, status: op.change.status, fp: applyFingerprintPatch(pair.fp, op.change.fpPatch), at: now() });
        }
        unsaved++;
        return entry;
      }
      case 'link': {
        pairs.set(op.ct, { ct: op.ct, og: op.og, status: op.status, fp: op.fp, at: now() });
        unsaved++;
        count('both', 'link');
        return entry;
      }
      case 'create': {
        const source = otherSystem(op.target);
        const created = await ports[op.target].create(domain, op.values, {
          idempotencyKey: `${context.connectionId}:${domain}:${source}:${op.sourceId}`,
          partnerId: op.sourceId,
          ...(op.force ? { force: true } : {}),
        });
        const ids = op.target === 'churchtools' ? { ct: created.id, og: op.sourceId } : { ct: op.sourceId, og: created.id };
        pairs.set(ids.ct, { ...ids, status: 'synced', fp: op.fp, at: now() });
        unsaved++;
        unsavedWrites++;
        count(op.target, 'create');
        return { ...entry, ctId: ids.ct, ogId: ids.og };
      }
      case 'update': {
        const id = idOf(op);
        const latest = await current(op);
        if (latest !== undefined && (latest === null || recordHash(latest) !== op.base)) throw new ChangedDuringRun();
        await ports[op.target].update(domain, id, op.values, {
          expectedModifiedAt: op.expectedModifiedAt,
          partnerId: op.target === 'churchtools' ? op.og : op.ct,
        });
        const pair = pairs.get(op.ct);
        if (pair) pairs.set(op.ct, { ...pair, fp: applyFingerprintPatch(pair.fp, op.fpPatch), at: now() });
        unsaved++;
        unsavedWrites++;
        count(op.target, 'update');
        return entry;
      }
      case 'rebook': {
        const port = ports.churchtools;
        if (!port.rebook) throw new Error('This ChurchTools port cannot reverse and rebook a booking.');
        const { reversal, record } = await port.rebook(domain, op.ct, op.values, { idempotencyKey: `${context.connectionId}:${domain}:rebook:${op.ct}`, partnerId: op.og });
        const pair = pairs.get(op.ct);
        if (pair) pairs.set(op.ct, { ...pair, status: 'reversed', at: now() });
        pairs.set(reversal, { ct: reversal, og: op.og, status: 'reversed', fp: '', at: now() });
        pairs.set(record.id, { ct: record.id, og: op.og, status: 'synced', fp: applyFingerprintPatch(pair?.fp ?? '', op.fpPatch), at: now() });
        unsaved++;
        unsavedWrites++;
        count('churchtools', 'update');
        return { ...entry, ctId: record.id };
      }
      case 'couple': {
        // Pairs only once both spouses exist and are related: a run that dies half-way leaves
        // no couple record paired with one person, and the next run finds the spouse it made.
        const ids: string[] = [];
        for (const [index, spouse] of op.spouses.entries()) {
          if ('ct' in spouse) {
            ids.push(spouse.ct);
            continue;
          }
          const created = await ports.churchtools.create(domain, spouse.values, {
            idempotencyKey: `${context.connectionId}:${domain}:optigem:${op.og}:spouse${index + 1}`,
            partnerId: op.og,
          });
          count('churchtools', 'create');
          ids.push(created.id);
        }
        const [a, b] = ids as [string, string];
        if (op.relate) {
          const link = ports.churchtools.linkSpouses;
          if (!link) throw new PortError('couple.noSpouseRelationship', 'ChurchTools cannot link the two persons as spouses here.', { args: { a, b } });
          await link.call(ports.churchtools, a, b);
          count('churchtools', 'update');
        }
        for (const [index, spouse] of op.spouses.entries()) {
          const ct = index === 0 ? a : b;
          // No partner-number write per linked spouse: that is the connection's setting (plan.partnerNotes).
          if ('ct' in spouse) count('both', 'link');
          pairs.set(ct, { ct, og: op.og, status: 'synced', fp: '', at: now(), sp: index === 0 ? b : a });
        }
        unsavedWrites++;
        unsaved += 2;
        return { ...entry, ctId: a };
      }
      case 'archive':
      case 'delete':
      case 'storno': {
        const id = op.target === 'churchtools' ? op.ct : op.og;
        const outcome = op.op === 'archive' ? await ports[op.target].archive(domain, id) : await ports[op.target].remove(domain, id);
        const pair = pairs.get(op.ct);
        unsaved++;
        unsavedWrites++;
        if (outcome?.kind === 'reversed') {
          if (pair) pairs.set(op.ct, { ...pair, status: 'reversed', at: now() });
          if (outcome.counterpart && op.target === 'churchtools') {
            pairs.set(outcome.counterpart, { ct: outcome.counterpart, og: op.og, status: 'reversed', fp: '', at: now() });
          }
          count(op.target, 'storno');
          return { ...entry, type: 'storno', level: 'warning', message: outcome.reason };
        }
        if (op.op === 'archive') {
          if (pair) pairs.set(op.ct, { ...pair, status: 'deleted', at: now() });
          count(op.target, 'archive');
          return entry;
        }
        // A planned storno whose record could be deleted after all (unlocked meanwhile) was a delete.
        pairs.delete(op.ct);
        count(op.target, 'delete');
        return op.op === 'storno' ? { ...entry, type: 'delete', level: 'info', message: { key: 'log.remove.deleted' } } : entry;
      }
    }
  };

  try {
    const vetoes = await confirmAbsences(plan, context.domain, context.ports);
    let done = 0;
    for (const entry of plan.entries) {
      if (context.signal?.aborted) {
        cancelled = true;
        await record({ ...entry, state: 'skipped' });
        continue;
      }
      const op = operations.get(entry.seq);
      const veto = vetoes.get(entry.seq);
      if (veto) {
        if (veto.level === 'error') errorCount++;
        await record({ ...entry, state: 'skipped', level: veto.level, message: veto.message });
      } else if (entry.seq === plan.partnerNotes.seq) {
        const noted = await notePartners(entry);
        await record({ ...noted, state: noted.error ? 'failed' : 'done' });
      } else if (!op) {
        // A write left out of an unattended run stays "skipped" (plan-restriction.ts).
        await record({ ...entry, state: entry.state === 'skipped' ? 'skipped' : 'done' });
      } else if (op.op === 'pair') {
        await record({ ...(await perform(op, entry)), state: 'done' });
      } else {
        await context.sink.entry({ ...entry, state: 'pending' });
        try {
          const finished = await perform(op, entry);
          await record({ ...finished, state: 'done' });
        } catch (error) {
          if (op.op === 'create' && error instanceof PortError && error.code === POSSIBLE_DUPLICATE) {
            // The target found a same-name person the plan did not see (created since the
            // read): the record waits for an admin's decision, it is never forced through.
            possibleDuplicates++;
            await record({ ...entry, type: 'duplicate', state: 'skipped', level: 'warning', message: { key: 'log.create.refusedAsDuplicate', args: { detail: error.message } } });
          } else if (error instanceof ChangedDuringRun) {
            await record({ ...entry, state: 'skipped', level: 'warning', message: { key: 'log.update.changedDuringRun' } });
          } else {
            errorCount++;
            await record({ ...entry, state: 'failed', level: 'error', error: errorMessage(error) });
          }
        }
        if (unsavedWrites >= flushEvery) await save();
      }
      context.sink.progress({ done: ++done, total: plan.entries.length, step: `action.${entry.action}` });
    }
  } finally {
    await save();
  }
  return { entries: journal, counters, errorCount, possibleDuplicates, cancelled };
}

function idOf(op: { readonly target: SystemId; readonly ct: string; readonly og: string }): string {
  return op.target === 'churchtools' ? op.ct : op.og;
}

/** The record about to be written changed after the plan was made: skip, never overwrite. */
class ChangedDuringRun extends Error {}
