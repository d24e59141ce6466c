/**
 * The engine's front door: simulate or run a job. Both read both systems, plan with the same
 * planner, and report through the same journal; only a run writes.
 */
import { type AbsenceVeto, confirmAbsences } from './absence.ts';
import { executePlan } from './executor.ts';
import type { CoupleCorrection } from './couples.ts';
import { donorMapping, withDonorMapping } from './donors.ts';
import type { Counters, DuplicateDecision, Execution, Job, LogEntry, Message, Pair, PropertyPair, SystemId } from './model.ts';
import { emptyCounters } from './model.ts';
import type { Operation, Plan } from './plan.ts';
import { restrictPlan } from './plan-restriction.ts';
import { planJob } from './planner.ts';
import type { CancelSignal, Clock, DecisionSource, PairStore, ProgressSink, ReadOptions, ReadResult, ReferenceData, RemoveCheck, SystemPort } from './ports.ts';
import { systemClock } from './ports.ts';

export interface EngineContext {
  readonly ports: Readonly<Record<SystemId, SystemPort>>;
  readonly pairStore: PairStore;
  /** All property pairs of the job's connection. */
  readonly propertyPairs: readonly PropertyPair[];
  readonly sink?: ProgressSink;
  readonly clock?: Clock;
  readonly newId?: () => string;
  /** Share of a connection's pairs that archive/delete may touch without confirmation. */
  readonly massChangeThreshold?: number;
  /** The admins' decisions on possible duplicates; without it every possible duplicate is undecided. */
  readonly decisions?: DecisionSource;
  /** The admin's corrections of couple detection for the job's connection. */
  readonly coupleCorrections?: readonly CoupleCorrection[];
  /**
   * The connection's setting "show the Optigem number on the person in ChurchTools": at most
   * `perRun` persons get it per run (one request each). Absent: off, no request per link.
   */
  readonly partnerNotes?: { readonly perRun: number };
}

export interface RunOptions {
  /** Typed confirmation from the user for archive/delete above the threshold. */
  readonly confirmMassChange?: boolean;
  /** "Run exactly this": refuse when the fresh plan differs from the simulated one. */
  readonly expectedDigest?: string;
  readonly signal?: CancelSignal;
  readonly flushEvery?: number;
  /**
   * Unattended runs: given the fresh plan, the operations it may carry out (null: all). The
   * others are logged as skipped with the reason.
   */
  readonly restrict?: (plan: Plan) => PlanRestriction | null;
}

export interface PlanRestriction {
  readonly allowed: (operation: Operation) => boolean;
  readonly reason: Message;
}

export interface SyncOutcome {
  readonly execution: Execution;
  readonly plan: Plan | null;
  readonly entries: readonly LogEntry[];
}

const silentSink: ProgressSink = { entry: () => undefined, progress: () => undefined };

function newExecutionId(): string {
  return globalThis.crypto.randomUUID();
}

interface Prepared {
  readonly plan: Plan | null;
  readonly pairs: readonly Pair[];
  /** What could not be read; non-empty makes the execution `incomplete`. */
  readonly problems: readonly Message[];
}

const SYSTEM_NAMES: Readonly<Record<SystemId, string>> = { churchtools: 'ChurchTools', optigem: 'Optigem' };

function readProblems(system: SystemId, result: ReadResult): Message[] {
  if (result.complete) return [];
  if (result.problems.length === 0) return [{ key: 'problem.readIncomplete', args: { system: SYSTEM_NAMES[system], what: '–', detail: '–' } }];
  // A problem the port could name is said in the user's words: the system and page, then why.
  return result.problems.flatMap((problem): Message[] =>
    problem.error
      ? [{ key: 'problem.readPart', args: { system: SYSTEM_NAMES[system], what: problem.what } }, problem.error]
      : [{ key: 'problem.readIncomplete', args: { system: SYSTEM_NAMES[system], what: problem.what, detail: problem.message } }],
  );
}

async function prepare(job: Job, context: EngineContext): Promise<Prepared> {
  const { ports } = context;
  const options = (system: SystemId): ReadOptions => ({
    ...(job.scope ? { scope: job.scope } : {}),
    conditionFields: job.conditions[system].map((condition) => condition.field),
  });
  let churchtools: ReadResult;
  let optigem: ReadResult;
  let pairs: readonly Pair[];
  let transactions: TransactionContext | undefined;
  let decisions: readonly DuplicateDecision[];
  try {
    [churchtools, optigem, pairs, transactions, decisions] = await Promise.all([
      ports.churchtools.readAll(job.domain, options('churchtools')),
      ports.optigem.readAll(job.domain, options('optigem')),
      context.pairStore.load(job.connectionId, job.domain),
      job.domain === 'transaction' ? transactionContext(job, context, options) : personContext(job, context, options),
      context.decisions && job.domain === 'person' ? context.decisions.load(job.connectionId, job.domain) : Promise.resolve([]),
    ]);
  } catch (error) {
    return { plan: null, pairs: [], problems: [{ key: 'problem.readFailed', args: { detail: error instanceof Error ? error.message : String(error) } }] };
  }
  const plan = planJob({
    job,
    propertyPairs: transactions?.propertyPairs ?? context.propertyPairs,
    records: { churchtools, optigem },
    identity: { churchtools: ports.churchtools.identity, optigem: ports.optigem.identity },
    listFields: { churchtools: ports.churchtools.listFields ?? [], optigem: ports.optigem.listFields ?? [] },
    pairs,
    decisions,
    ...(transactions?.references ? { references: transactions.references } : {}),
    ...(context.coupleCorrections ? { coupleCorrections: new Map(context.coupleCorrections.map((c) => [c.og, c])) } : {}),
    ...(context.massChangeThreshold === undefined ? {} : { massChangeThreshold: context.massChangeThreshold }),
    ...(context.partnerNotes ? { partnerNotes: context.partnerNotes } : {}),
  });
  return { plan, pairs, problems: [...readProblems('churchtools', churchtools), ...readProblems('optigem', optigem)] };
}

interface TransactionContext {
  readonly references?: Readonly<Record<SystemId, ReferenceData>>;
  readonly propertyPairs: readonly PropertyPair[];
}

/**
 * What a transaction plan needs besides the bookings: both systems' reference data (accounts,
 * cost centres, spouses, couple records) and the person pairs, through which donors map.
 */
async function transactionContext(job: Job, context: EngineContext, options: (system: SystemId) => ReadOptions): Promise<TransactionContext> {
  const { churchtools, optigem } = context.ports;
  if (!churchtools.readReferences || !optigem.readReferences) return { propertyPairs: context.propertyPairs };
  const [ct, og, personPairs] = await Promise.all([
    churchtools.readReferences(job.domain, options('churchtools')),
    optigem.readReferences(job.domain, options('optigem')),
    context.pairStore.load(job.connectionId, 'person'),
  ]);
  const donors = donorMapping(personPairs, { spouses: ct.spouses ?? {}, couples: og.couples ?? [] });
  return { references: { churchtools: ct, optigem: og }, propertyPairs: withDonorMapping(context.propertyPairs, donors) };
}

/**
 * Couple records pair with spouses, so a person plan that links or creates needs to know who is
 * married to whom in ChurchTools (two reads); a plan that only maintains pairs does not.
 */
async function personContext(job: Job, context: EngineContext, options: (system: SystemId) => ReadOptions): Promise<TransactionContext | undefined> {
  const { churchtools } = context.ports;
  const creates = job.actions.link !== undefined || job.actions.import !== undefined || job.actions.export !== undefined;
  if (!creates || !churchtools.readReferences) return undefined;
  const ct = await churchtools.readReferences(job.domain, options('churchtools'));
  const og: ReferenceData = { known: {}, problems: [], writable: true };
  return { references: { churchtools: ct, optigem: og }, propertyPairs: context.propertyPairs };
}

/**
 * Simulation asks each system what a planned deletion would really do (ChurchTools:
 * `DELETE …?dry_run=true`), so the log says "a storno will be booked" or "refused" up front.
 */
async function checkDeletions(job: Job, context: EngineContext, plan: Plan): Promise<readonly LogEntry[]> {
  const checks = new Map<number, RemoveCheck>();
  for (const op of plan.operations) {
    if (op.op !== 'delete') continue;
    const port = context.ports[op.target];
    if (!port.checkRemove) continue;
    try {
      checks.set(op.seq, await port.checkRemove(job.domain, op.target === 'churchtools' ? op.ct : op.og));
    } catch (error) {
      checks.set(op.seq, { kind: 'refused', reason: { key: 'log.remove.refused', args: { detail: error instanceof Error ? error.message : String(error) } } });
    }
  }
  if (checks.size === 0) return plan.entries;
  return plan.entries.map((entry) => {
    const check = checks.get(entry.seq);
    if (!check || check.kind === 'removed') return entry;
    return { ...entry, level: check.kind === 'refused' ? 'error' : 'warning', message: check.reason };
  });
}

function plannedCounters(plan: Plan, vetoes: ReadonlyMap<number, AbsenceVeto>): Counters {
  const counters = emptyCounters();
  for (const op of plan.operations) {
    if (op.op === 'pair' || vetoes.has(op.seq)) continue;
    if (op.op === 'couple') {
      for (const spouse of op.spouses) {
        if ('ct' in spouse) counters.both.link++;
        else counters.churchtools.create++;
      }
      if (op.relate) counters.churchtools.update++;
    } else if (op.op === 'link') counters.both.link++;
    // A rebooking changes a booking, as the run counts it.
    else counters[op.target][op.op === 'rebook' ? 'update' : op.op]++;
  }
  return counters;
}

function conflictCount(entries: readonly LogEntry[]): number {
  return entries.filter((entry) => entry.type === 'conflict' || entry.type === 'duplicate').length;
}

function execution(
  job: Job,
  context: EngineContext,
  fields: Pick<Execution, 'dryRun' | 'status' | 'counters' | 'errorCount' | 'conflictCount'> & {
    startedAt: Date;
    refusal?: Message;
    possibleDuplicateCount?: number;
    problems?: readonly Message[];
  },
): Execution {
  const clock = context.clock ?? systemClock;
  return {
    id: (context.newId ?? newExecutionId)(),
    jobId: job.id,
    connectionId: job.connectionId,
    dryRun: fields.dryRun,
    status: fields.status,
    startedAt: fields.startedAt.toISOString(),
    finishedAt: clock.now().toISOString(),
    counters: fields.counters,
    errorCount: fields.errorCount,
    conflictCount: fields.conflictCount,
    ...(fields.refusal ? { refusal: fields.refusal } : {}),
    ...(fields.possibleDuplicateCount ? { possibleDuplicateCount: fields.possibleDuplicateCount } : {}),
    ...(fields.problems && fields.problems.length > 0 ? { problems: fields.problems } : {}),
  };
}

/** Plans and reports what a run would do; writes nothing. */
export async function simulate(job: Job, context: EngineContext): Promise<SyncOutcome> {
  const startedAt = (context.clock ?? systemClock).now();
  const sink = context.sink ?? silentSink;
  const { plan, problems } = await prepare(job, context);
  if (!plan) {
    return { plan, entries: [], execution: execution(job, context, { dryRun: true, status: 'incomplete', counters: emptyCounters(), errorCount: 0, conflictCount: 0, startedAt, problems }) };
  }
  // As the run will: a removal whose partner turns out to exist is shown as skipped.
  const vetoes = await confirmAbsences(plan, job.domain, context.ports);
  const entries = (await checkDeletions(job, context, plan)).map((entry) => {
    const veto = vetoes.get(entry.seq);
    return veto ? { ...entry, state: 'skipped' as const, level: veto.level, message: veto.message } : entry;
  });
  for (const entry of entries) await sink.entry(entry);
  sink.progress({ done: entries.length, total: entries.length, step: 'step.simulated' });
  const blocked = plan.blockers[0];
  return {
    plan,
    entries,
    execution: execution(job, context, {
      dryRun: true,
      status: blocked ? 'refused' : problems.length > 0 ? 'incomplete' : 'succeeded',
      counters: plannedCounters(plan, vetoes),
      errorCount: 0,
      conflictCount: conflictCount(entries),
      possibleDuplicateCount: plan.possibleDuplicates.length,
      startedAt,
      ...(blocked ? { refusal: blocked } : {}),
      problems,
    }),
  };
}

/** Why a run must not start, if it must not: checked before anything is written. */
function refusalOf(plan: Plan, options: RunOptions): Message | null {
  const blocker = plan.blockers[0];
  if (blocker) return blocker;
  if (options.expectedDigest !== undefined && options.expectedDigest !== plan.digest) return { key: 'refusal.planChanged' };
  if (plan.massChange.requiresConfirmation && !options.confirmMassChange) {
    return {
      key: 'refusal.massChange',
      args: { count: plan.massChange.count, pairs: plan.massChange.pairs, percent: Math.round(plan.massChange.threshold * 100) },
    };
  }
  return null;
}

export async function run(job: Job, context: EngineContext, options: RunOptions = {}): Promise<SyncOutcome> {
  const clock = context.clock ?? systemClock;
  const startedAt = clock.now();
  const { plan, pairs, problems } = await prepare(job, context);
  if (!plan) {
    return { plan, entries: [], execution: execution(job, context, { dryRun: false, status: 'incomplete', counters: emptyCounters(), errorCount: 0, conflictCount: 0, startedAt, problems }) };
  }
  const refusal = refusalOf(plan, options);
  if (refusal) {
    return {
      plan,
      entries: plan.entries,
      execution: execution(job, context, { dryRun: false, status: 'refused', counters: emptyCounters(), errorCount: 0, conflictCount: 0, startedAt, refusal, problems }),
    };
  }
  const restriction = options.restrict?.(plan) ?? null;
  const effective = restriction ? restrictPlan(plan, restriction.allowed, restriction.reason).plan : plan;
  const result = await executePlan(effective, {
    domain: job.domain,
    connectionId: job.connectionId,
    ports: context.ports,
    pairStore: context.pairStore,
    pairs,
    sink: context.sink ?? silentSink,
    clock,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.flushEvery === undefined ? {} : { flushEvery: options.flushEvery }),
  });
  return {
    plan: effective,
    entries: result.entries,
    execution: execution(job, context, {
      dryRun: false,
      // An incomplete read outranks errors: the run may have missed records, which says more.
      status: result.cancelled ? 'cancelled' : problems.length > 0 ? 'incomplete' : result.errorCount > 0 ? 'finishedWithErrors' : 'succeeded',
      counters: result.counters,
      errorCount: result.errorCount,
      conflictCount: conflictCount(result.entries),
      possibleDuplicateCount: plan.possibleDuplicates.length + result.possibleDuplicates,
      startedAt,
      problems,
    }),
  };
}
