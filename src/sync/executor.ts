/**
 * Executes a plan: each write is journalled as pending, performed through its port, then
 * journalled as done or failed. A pair is made right after its create succeeds and pairs are
 * saved every few operations, so a run that dies loses at most the last few links — and those
 * are restored from the partner ids the records carry (see planner's restore step). A failed
 * operation does not stop the independent ones after it.
 */
import { applyFingerprintPatch } from './fingerprint.ts';
import type { Counters, Domain, LogEntry, Message, Pair, SystemId, WriteKind } from './model.ts';
import { emptyCounters, otherSystem } from './model.ts';
import type { Operation, Plan } from './plan.ts';
import type { CancelSignal, Clock, PairStore, ProgressSink, SystemPort } from './ports.ts';
import { PortError } from './ports.ts';

export interface ExecuteContext {
  readonly domain: Domain;
  readonly connectionId: string;
  readonly ports: Readonly<Record<SystemId, SystemPort>>;
  readonly pairStore: PairStore;
  readonly pairs: readonly Pair[];
  readonly sink: ProgressSink;
  readonly clock: Clock;
  readonly signal?: CancelSignal;
  /** Save pairs after this many pair changes; default 25. */
  readonly flushEvery?: number;
}

export interface ExecuteResult {
  readonly entries: readonly LogEntry[];
  readonly counters: Counters;
  readonly errorCount: number;
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
  const flushEvery = context.flushEvery ?? 25;
  let unsaved = 0;
  let errorCount = 0;
  let cancelled = false;
  const now = () => Math.floor(context.clock.now().getTime() / 1000);

  const save = async () => {
    if (unsaved === 0) return;
    await context.pairStore.save(context.connectionId, context.domain, [...pairs.values()]);
    unsaved = 0;
  };
  const record = async (entry: LogEntry) => {
    if (entry.state !== 'pending') journal.push(entry);
    await context.sink.entry(entry);
  };
  // Noting the partner writes to the record (ChurchTools' `optigemId`) after the pair was made:
  // the pair's time must come after that write, or the next run takes it for a change.
  const restamp = (ct: string) => {
    const pair = pairs.get(ct);
    if (pair) pairs.set(ct, { ...pair, at: now() });
  };
  const count = (system: SystemId | 'both', kind: WriteKind) => {
    counters[system][kind]++;
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
        if (op.action !== 'restore') {
          await ports.churchtools.notePartner?.(domain, op.ct, op.og);
          await ports.optigem.notePartner?.(domain, op.og, op.ct);
          restamp(op.ct);
        }
        return entry;
      }
      case 'create': {
        const source = otherSystem(op.target);
        const created = await ports[op.target].create(domain, op.values, {
          idempotencyKey: `${context.connectionId}:${domain}:${source}:${op.sourceId}`,
          partnerId: op.sourceId,
        });
        const ids = op.target === 'churchtools' ? { ct: created.id, og: op.sourceId } : { ct: op.sourceId, og: created.id };
        pairs.set(ids.ct, { ...ids, status: 'synced', fp: op.fp, at: now() });
        unsaved++;
        count(op.target, 'create');
        await ports[source].notePartner?.(domain, op.sourceId, created.id);
        restamp(ids.ct);
        return { ...entry, ctId: ids.ct, ogId: ids.og };
      }
      case 'update': {
        const id = op.target === 'churchtools' ? op.ct : op.og;
        await ports[op.target].update(domain, id, op.values, {
          expectedModifiedAt: op.expectedModifiedAt,
          partnerId: op.target === 'churchtools' ? op.og : op.ct,
        });
        const pair = pairs.get(op.ct);
        if (pair) pairs.set(op.ct, { ...pair, fp: applyFingerprintPatch(pair.fp, op.fpPatch), at: now() });
        unsaved++;
        count(op.target, 'update');
        return entry;
      }
      case 'archive':
      case 'delete': {
        const id = op.target === 'churchtools' ? op.ct : op.og;
        const outcome = op.op === 'archive' ? await ports[op.target].archive(domain, id) : await ports[op.target].remove(domain, id);
        const pair = pairs.get(op.ct);
        unsaved++;
        if (outcome?.kind === 'reversed') {
          if (pair) pairs.set(op.ct, { ...pair, status: 'reversed', at: now() });
          if (outcome.counterpart && op.target === 'churchtools') {
            pairs.set(outcome.counterpart, { ct: outcome.counterpart, og: op.og, status: 'reversed', fp: '', at: now() });
          }
          count(op.target, 'update');
          return { ...entry, type: 'update', level: 'warning', message: outcome.reason };
        }
        if (op.op === 'delete') pairs.delete(op.ct);
        else if (pair) pairs.set(op.ct, { ...pair, status: 'deleted', at: now() });
        count(op.target, op.op);
        return entry;
      }
    }
  };

  try {
    let done = 0;
    for (const entry of plan.entries) {
      if (context.signal?.aborted) {
        cancelled = true;
        await record({ ...entry, state: 'skipped' });
        continue;
      }
      const op = operations.get(entry.seq);
      if (!op) {
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
          errorCount++;
          await record({ ...entry, state: 'failed', level: 'error', error: errorMessage(error) });
        }
        if (unsaved >= flushEvery) await save();
      }
      context.sink.progress({ done: ++done, total: plan.entries.length, step: `action.${entry.action}` });
    }
  } finally {
    await save();
  }
  return { entries: journal, counters, errorCount, cancelled };
}
