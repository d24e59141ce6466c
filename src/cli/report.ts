/**
 * What `simulate --json` and `run --json` print: one JSON object per invocation, described by
 * `cliRunReportSchema` (JSON Schema in docs/cli-report.schema.json). It holds the execution as
 * stored in ChurchTools (id, dry run, status, counters per system and operation) and every log
 * entry with both record ids and its field changes, plus the exit code and why. Scripts should
 * read `exitCode`/`outcome` rather than parse the human summary.
 */
import { z } from 'zod';
import type { Execution, LogEntry, Message } from '../sync/model.ts';
import type { Plan } from '../sync/plan.ts';
import { actionName, formatMessage, type TextLocale } from '../runner/messages.ts';

export const CLI_REPORT_FORMAT = 'optigem-sync/execution';
export const CLI_REPORT_VERSION = 1;

/**
 * 0 success; 1 errors, conflicts, a cancelled or failed run; 2 invalid input or configuration;
 * 3 refused by a safety rule (lock held, mass change in a run, plan changed); 4 incomplete: a
 * read failed, the result may miss records; 5 a simulation whose run needs confirmation.
 */
export const EXIT_CODES = { ok: 0, errors: 1, invalid: 2, refused: 3, incomplete: 4, needsConfirmation: 5 } as const;
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

export const OUTCOMES = [
  'succeeded',
  'finishedWithErrors',
  'conflicts',
  'possibleDuplicates',
  'cancelled',
  'invalidInput',
  'preflightRefused',
  'lockHeld',
  'massChange',
  'needsConfirmation',
  'incomplete',
  'refused',
  'failed',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

const fieldValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);

const messageReportSchema = z
  .strictObject({
    key: z.string().meta({ description: 'i18n key of the message, stable for scripts' }),
    args: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    text: z.string().meta({ description: 'The message in the chosen language' }),
  })
  .meta({ description: 'A message of the engine' });

const countsSchema = z.strictObject({
  create: z.int().nonnegative(),
  update: z.int().nonnegative(),
  archive: z.int().nonnegative(),
  delete: z.int().nonnegative(),
  storno: z.int().nonnegative().meta({ description: 'Reversals booked instead of deleting (immutable booking, closed period)' }),
  link: z.int().nonnegative(),
});

const entryReportSchema = z
  .strictObject({
    seq: z.int(),
    action: z.string().meta({ description: 'Action id, e.g. link, import, updateProperties, restore, pairs' }),
    actionName: z.string().meta({ description: 'The action as the Sync module names it' }),
    type: z.enum(['link', 'create', 'update', 'archive', 'delete', 'storno', 'unlink', 'conflict', 'duplicate', 'skip']),
    system: z.enum(['churchtools', 'optigem', 'both']).meta({ description: 'The system the entry is about (written to, for writes)' }),
    ctId: z.string().nullable().meta({ description: 'ChurchTools person id' }),
    ogId: z.string().nullable().meta({ description: 'Optigem number (Nr)' }),
    label: z.string(),
    level: z.enum(['info', 'warning', 'error']),
    state: z.enum(['planned', 'pending', 'done', 'failed', 'skipped']).meta({ description: 'planned in a simulation; done/failed/skipped in a run' }),
    message: messageReportSchema,
    error: messageReportSchema.nullable(),
    changes: z.array(z.strictObject({ field: z.string(), oldValue: fieldValue, newValue: fieldValue })),
  })
  .meta({ description: 'One log entry (Protokolleintrag)' });

const personCardSchema = z.strictObject({
  system: z.enum(['churchtools', 'optigem']),
  id: z.string(),
  label: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string().nullable(),
  birthday: z.string().nullable(),
  address: z.string().nullable(),
  archived: z.boolean(),
  paired: z.boolean().meta({ description: 'In a pair with another record already (cannot be linked to this one)' }),
});

const possibleDuplicateReportSchema = z
  .strictObject({
    action: z.enum(['import', 'export']),
    source: z.enum(['churchtools', 'optigem']).meta({ description: 'For a decision file: "source"' }),
    id: z.string().meta({ description: 'For a decision file: "id"' }),
    basis: z.string().meta({ description: 'For a decision file: "basis" (what the decision is made on)' }),
    outdated: z.enum(['changed', 'candidateGone', 'candidatePaired']).nullable().meta({ description: 'Why a stored decision was not followed, if one was' }),
    record: personCardSchema,
    candidates: z.array(personCardSchema.extend({ reasons: z.array(z.string()) })),
  })
  .meta({ description: 'A record import/export did not create because the other system has a person with the same name; needs a decision' });

export const cliRunReportSchema = z
  .strictObject({
    format: z.literal(CLI_REPORT_FORMAT),
    version: z.literal(CLI_REPORT_VERSION),
    command: z.enum(['simulate', 'run']),
    exitCode: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]).meta({
      description:
        '0 success, 1 errors, conflicts, a cancelled or failed run, 2 invalid input or configuration, 3 refused by a safety rule (lock held, mass change, plan changed), 4 incomplete: a read failed, 5 a simulation whose run needs --confirm-mass-change',
    }),
    outcome: z.enum(OUTCOMES).meta({ description: 'Why the exit code is what it is' }),
    job: z.strictObject({ id: z.string(), name: z.string(), domain: z.enum(['person', 'transaction']) }).nullable(),
    execution: z
      .strictObject({
        id: z.string(),
        jobId: z.string(),
        connectionId: z.string(),
        dryRun: z.boolean().meta({ description: 'true for a simulation' }),
        status: z.enum(['running', 'succeeded', 'finishedWithErrors', 'incomplete', 'refused', 'cancelled', 'failed']).meta({
          description: 'incomplete: a read failed or was incomplete (see problems); failed: the run stopped on an unexpected error',
        }),
        startedAt: z.string(),
        finishedAt: z.string().nullable(),
        counters: z
          .strictObject({ churchtools: countsSchema, optigem: countsSchema, both: countsSchema })
          .meta({ description: 'Operations per system (planned in a simulation, done in a run); links count under both' }),
        errorCount: z.int().nonnegative(),
        conflictCount: z.int().nonnegative(),
        possibleDuplicateCount: z.int().nonnegative().meta({ description: 'Records not created as possible duplicates (undecided, or refused by the target in a run)' }),
        refusal: messageReportSchema.nullable().meta({ description: 'Why the run was refused, when it was' }),
        problems: z.array(messageReportSchema).meta({ description: 'What failed: incomplete reads, the error that stopped a failed run' }),
      })
      .nullable()
      .meta({ description: 'The execution as stored in ChurchTools (null when it never started)' }),
    plan: z
      .strictObject({
        digest: z.string().meta({ description: 'Changes whenever the planned operations would change' }),
        operations: z.int().nonnegative(),
        blockers: z.array(messageReportSchema).meta({ description: 'Pre-flight failures; a plan with blockers writes nothing' }),
        massChange: z.strictObject({
          count: z.int().nonnegative().meta({ description: 'Archive and delete operations' }),
          pairs: z.int().nonnegative().meta({ description: 'Pairs of the connection and domain before the run' }),
          threshold: z.number().meta({ description: 'Share of pairs that may be archived/deleted without confirmation' }),
          requiresConfirmation: z.boolean().meta({ description: 'A run needs --confirm-mass-change' }),
        }),
        readComplete: z.strictObject({ churchtools: z.boolean(), optigem: z.boolean() }),
      })
      .nullable()
      .meta({ description: 'The plan the execution followed (null when reading failed or the command failed before)' }),
    possibleDuplicates: z.array(possibleDuplicateReportSchema).meta({ description: 'Possible duplicates needing a decision (see --decisions)' }),
    entries: z.array(entryReportSchema),
    error: z
      .strictObject({ code: z.string(), message: z.string() })
      .nullable()
      .meta({ description: 'Why the command failed before or outside the execution (unknown job, lock held, …)' }),
  })
  .meta({ title: 'optigem-sync simulate/run --json output' });

export type CliRunReport = z.output<typeof cliRunReportSchema>;

export function cliReportJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://optigem-sync.invalid/schemas/cli-report.schema.json',
    ...z.toJSONSchema(cliRunReportSchema, { io: 'output', target: 'draft-2020-12' }),
  };
}

function messageReport(message: Message, locale: TextLocale): z.output<typeof messageReportSchema> {
  return { key: message.key, ...(message.args ? { args: { ...message.args } } : {}), text: formatMessage(message, locale) };
}

export function entryReport(entry: LogEntry, locale: TextLocale): CliRunReport['entries'][number] {
  return {
    seq: entry.seq,
    action: entry.action,
    actionName: actionName(entry.action, locale),
    type: entry.type,
    system: entry.system,
    ctId: entry.ctId,
    ogId: entry.ogId,
    label: entry.label,
    level: entry.level,
    state: entry.state,
    message: messageReport(entry.message, locale),
    error: entry.error ? messageReport(entry.error, locale) : null,
    changes: entry.changes.map((change) => ({
      field: change.field,
      oldValue: copyValue(change.oldValue),
      newValue: copyValue(change.newValue),
    })),
  };
}

function copyValue(value: LogEntry['changes'][number]['oldValue']): z.output<typeof fieldValue> {
  return Array.isArray(value) ? [...(value as readonly string[])] : (value as string | number | boolean | null);
}

export function executionReport(execution: Execution, locale: TextLocale): NonNullable<CliRunReport['execution']> {
  return {
    id: execution.id,
    jobId: execution.jobId,
    connectionId: execution.connectionId,
    dryRun: execution.dryRun,
    status: execution.status,
    startedAt: execution.startedAt,
    finishedAt: execution.finishedAt,
    counters: structuredClone(execution.counters),
    errorCount: execution.errorCount,
    conflictCount: execution.conflictCount,
    possibleDuplicateCount: execution.possibleDuplicateCount ?? 0,
    refusal: execution.refusal ? messageReport(execution.refusal, locale) : null,
    problems: (execution.problems ?? []).map((problem) => messageReport(problem, locale)),
  };
}

export function planReport(plan: Plan | null, locale: TextLocale): CliRunReport['plan'] {
  if (!plan) return null;
  return {
    digest: plan.digest,
    operations: plan.operations.length,
    blockers: plan.blockers.map((blocker) => messageReport(blocker, locale)),
    massChange: { ...plan.massChange },
    readComplete: { churchtools: plan.readComplete.churchtools, optigem: plan.readComplete.optigem },
  };
}

export function possibleDuplicatesReport(plan: Plan | null): CliRunReport['possibleDuplicates'] {
  return (plan?.possibleDuplicates ?? []).map((p) => ({
    action: p.action,
    source: p.record.system,
    id: p.record.id,
    basis: p.basis,
    outdated: p.outdated?.reason ?? null,
    record: { ...p.record },
    candidates: p.candidates.map((c) => ({ ...c, reasons: [...c.reasons] })),
  }));
}

/**
 * The exit code of a finished execution. A failed run first, then configuration problems (2)
 * before safety refusals (3) before an incomplete read (4) before errors (1): the most
 * actionable reason wins. A simulation whose run would stop at the mass-change brake says so (5).
 */
export function judgeExecution(execution: Execution, plan: Plan | null): { exitCode: ExitCode; outcome: Outcome } {
  if (execution.status === 'failed') return { exitCode: EXIT_CODES.errors, outcome: 'failed' };
  const refusal = execution.refusal?.key;
  if (execution.status === 'refused' || refusal !== undefined) {
    if (refusal?.startsWith('blocker.') || refusal?.startsWith('validation.')) return { exitCode: EXIT_CODES.invalid, outcome: 'preflightRefused' };
    if (refusal === 'refusal.massChange') return { exitCode: EXIT_CODES.refused, outcome: 'massChange' };
    return { exitCode: EXIT_CODES.refused, outcome: 'refused' };
  }
  if (execution.status === 'incomplete') return { exitCode: EXIT_CODES.incomplete, outcome: 'incomplete' };
  if (execution.status === 'cancelled') return { exitCode: EXIT_CODES.errors, outcome: 'cancelled' };
  if (execution.status === 'finishedWithErrors' || execution.errorCount > 0) return { exitCode: EXIT_CODES.errors, outcome: 'finishedWithErrors' };
  if ((execution.possibleDuplicateCount ?? 0) > 0) return { exitCode: EXIT_CODES.errors, outcome: 'possibleDuplicates' };
  if (execution.conflictCount > 0) return { exitCode: EXIT_CODES.errors, outcome: 'conflicts' };
  if (execution.dryRun && plan?.massChange.requiresConfirmation) return { exitCode: EXIT_CODES.needsConfirmation, outcome: 'needsConfirmation' };
  return { exitCode: EXIT_CODES.ok, outcome: 'succeeded' };
}
