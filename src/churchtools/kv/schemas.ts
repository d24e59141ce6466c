/**
 * zod schemas for everything the extension stores, mirroring src/sync/model.ts. Stored data is
 * read back through these, so a value edited by hand or written by a broken build is reported
 * instead of trusted.
 */
import { z } from 'zod';
import type { CoupleCorrection } from '../../sync/couples.ts';
import {
  PERSON_ACTIONS,
  type Conditions,
  type DuplicateDecision,
  type Execution,
  type Job,
  type LogEntry,
  type Pair,
  type PropertyPair,
} from '../../sync/model.ts';

const systemId = z.enum(['churchtools', 'optigem']);
const domain = z.enum(['person', 'transaction']);

export const fieldValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);

const fallbackSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('block') }),
  z.object({ kind: z.literal('skip') }),
  z.object({ kind: z.literal('fixed'), churchtools: z.string().nullable(), optigem: z.string().nullable() }),
]);

export const propertyPairSchema: z.ZodType<PropertyPair> = z.object({
  key: z.string().min(1),
  domain,
  churchtools: z.string().min(1),
  optigem: z.string().min(1),
  mapping: z
    .object({
      entries: z.array(z.object({ churchtools: z.string(), optigem: z.string() })),
      fallback: fallbackSchema,
      manyToOne: z.boolean().optional(),
    })
    .optional(),
  role: z.literal('donor').optional(),
});

/** A range row (a date range) may leave either end open; its `values` are then empty. */
const conditionRangeSchema = z.object({ from: z.string().nullish(), to: z.string().nullish() });
const conditionSchema = z.object({ field: z.string(), values: z.array(z.string()), range: conditionRangeSchema.optional() });
const conditionsSchema: z.ZodType<Conditions> = z.object({
  churchtools: z.array(conditionSchema),
  optigem: z.array(conditionSchema),
});

const noOptions = z.record(z.string(), z.never());
const createOptions = z.object({ defaults: z.record(z.string(), fieldValueSchema) });
const maintainOptions = z.object({ conflictProtection: z.boolean(), rebook: z.boolean().optional() });

const jobActionsSchema = z.object({
  link: z.object({ mode: z.enum(['newerWins', 'fillEmpty']) }).optional(),
  import: createOptions.optional(),
  export: createOptions.optional(),
  updateProperties: maintainOptions.optional(),
  importProperties: maintainOptions.optional(),
  exportProperties: maintainOptions.optional(),
  archiveInChurchTools: noOptions.optional(),
  deleteInChurchTools: noOptions.optional(),
  archiveInOptigem: noOptions.optional(),
  deleteInOptigem: noOptions.optional(),
});

export const jobSchema: z.ZodType<Job> = z.object({
  id: z.string().min(1),
  name: z.string(),
  connectionId: z.string().min(1),
  domain,
  actions: jobActionsSchema,
  conditions: conditionsSchema,
  propertyPairKeys: z.array(z.string()),
  autoRun: z.boolean(),
  unattended: z.object({ allow: z.array(z.enum(['create', 'archive', 'delete'])), margin: z.number().int().min(0) }).optional(),
  // Transactions: `{fiscalYear, clientId?}`. The format of the year is validateJob's to judge (a
  // stored job with a bad year stays readable and is reported there); other keys are kept for
  // scopes a later version adds.
  scope: z.object({ fiscalYear: z.string().optional(), clientId: z.string().optional() }).catchall(z.string()).optional(),
});

const writeCounters = z.object({
  create: z.number(),
  update: z.number(),
  archive: z.number(),
  delete: z.number(),
  // Executions stored before stornos were counted on their own have none.
  storno: z.number().default(0),
  link: z.number(),
});

const messageSchema = z.object({
  key: z.string(),
  args: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

export const executionSchema: z.ZodType<Execution> = z.object({
  id: z.string().min(1),
  jobId: z.string(),
  connectionId: z.string(),
  dryRun: z.boolean(),
  status: z.enum(['running', 'succeeded', 'finishedWithErrors', 'incomplete', 'refused', 'cancelled', 'failed']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  counters: z.object({ churchtools: writeCounters, optigem: writeCounters, both: writeCounters }),
  errorCount: z.number(),
  conflictCount: z.number(),
  refusal: messageSchema.optional(),
  possibleDuplicateCount: z.number().int().nonnegative().optional(),
  problems: z.array(messageSchema).optional(),
});

export const logEntrySchema: z.ZodType<LogEntry> = z.object({
  seq: z.number(),
  action: z.enum([...PERSON_ACTIONS, 'restore', 'pairs', 'preflight']),
  type: z.enum(['link', 'create', 'update', 'archive', 'delete', 'storno', 'unlink', 'conflict', 'duplicate', 'skip']),
  system: z.union([systemId, z.literal('both')]),
  ctId: z.string().nullable(),
  ogId: z.string().nullable(),
  label: z.string(),
  changes: z.array(z.object({ field: z.string(), oldValue: fieldValueSchema, newValue: fieldValueSchema })),
  message: messageSchema,
  level: z.enum(['info', 'warning', 'error']),
  state: z.enum(['planned', 'done', 'failed', 'skipped']),
  error: messageSchema.optional(),
});

export const pairSchema: z.ZodType<Pair> = z.object({
  ct: z.string().min(1),
  og: z.string().min(1),
  status: z.enum(['synced', 'conflict', 'deleted', 'reversed']),
  fp: z.string(),
  at: z.number().int(),
  sp: z.string().min(1).optional(),
});

/** A connection to one Optigem bridge. The token is not here: it lives in the `secrets` category. */
export interface Connection {
  readonly id: string;
  readonly name: string;
  readonly bridgeUrl: string;
  /** Shared by all jobs of the connection (DESIGN §2). */
  readonly propertyPairs: readonly PropertyPair[];
  /** The admin's corrections of couple detection ("not a couple", "these two first names"). */
  readonly coupleCorrections?: readonly CoupleCorrection[];
  /**
   * Show the Optigem number on the ChurchTools person (`optigemId`). Costs one request per linked
   * person, so it is off unless asked for; `perRun` bounds those requests per run (a first sync
   * spreads them over later runs). Persons created by the sync carry it anyway, for free.
   */
  readonly partnerNumbers?: PartnerNumbers;
}

const coupleCorrectionSchema: z.ZodType<CoupleCorrection> = z.discriminatedUnion('kind', [
  z.object({ og: z.string().min(1), kind: z.literal('single') }),
  z.object({ og: z.string().min(1), kind: z.literal('couple'), firstNames: z.tuple([z.string().trim().min(1), z.string().trim().min(1)]) }),
]);

export interface PartnerNumbers {
  readonly show: boolean;
  readonly perRun: number;
}

export const DEFAULT_PARTNER_NUMBERS_PER_RUN = 500;

export const partnerNumbersSchema: z.ZodType<PartnerNumbers> = z.object({
  show: z.boolean(),
  perRun: z.int().min(1).max(100_000),
});

export const connectionSchema: z.ZodType<Connection> = z.object({
  id: z.string().min(1),
  name: z.string(),
  bridgeUrl: z.string(),
  propertyPairs: z.array(propertyPairSchema),
  // Connections stored before couple corrections existed have none.
  coupleCorrections: z.array(coupleCorrectionSchema).optional(),
  partnerNumbers: partnerNumbersSchema.optional(),
});

export interface BridgeSecret {
  /** The connection the token belongs to. */
  readonly id: string;
  readonly token: string;
}

export const bridgeSecretSchema: z.ZodType<BridgeSecret> = z.object({
  id: z.string().min(1),
  token: z.string(),
});

/**
 * One claim on a run lock. Every run writes its own claim (a new value); the unexpired claim
 * with the lowest value id holds the lock (see run-locks.ts).
 */
export interface RunLock {
  /** The lock's name (`connectionId:domain`): runs that would write the same pairs share it. */
  readonly id: string;
  /** Who holds it, for people: "CLI (Anna Admin)", "nightly", the browser user's name. */
  readonly owner: string;
  readonly acquiredAt: string;
  readonly expiresAt: string;
  /** Random per run: tells two runs of one user apart. Absent on locks written before claims. */
  readonly runId?: string;
  /** The job that runs, named for people in "läuft bereits". */
  readonly jobId?: string;
  readonly jobName?: string;
  /** Last renewal; the lease counts from here. Absent: from `acquiredAt`. */
  readonly renewedAt?: string;
}

export const runLockSchema: z.ZodType<RunLock> = z.object({
  id: z.string().min(1),
  owner: z.string().min(1),
  acquiredAt: z.string(),
  expiresAt: z.string(),
  runId: z.string().min(1).optional(),
  jobId: z.string().optional(),
  jobName: z.string().optional(),
  renewedAt: z.string().optional(),
});

/** An admin's decision on a possible duplicate (see src/sync/duplicates.ts). */
export const duplicateDecisionSchema: z.ZodType<DuplicateDecision> = z
  .object({
    source: systemId,
    sourceId: z.string().min(1),
    kind: z.enum(['link', 'create']),
    candidateId: z.string().min(1).optional(),
    basis: z.string().regex(/^[0-9a-f]{8}$/, 'an 8-digit hexadecimal basis as the simulation reports it'),
    decidedAt: z.string().optional(),
    decidedBy: z.string().optional(),
  })
  .refine((d) => (d.kind === 'link') === (d.candidateId !== undefined), { message: '"link" needs candidateId; "create" takes none', path: ['candidateId'] });

/** One stored chunk of a connection's decisions for a domain. */
export interface DecisionChunk {
  readonly id: string;
  readonly connectionId: string;
  readonly domain: 'person' | 'transaction';
  readonly decisions: readonly DuplicateDecision[];
}

export const decisionChunkSchema: z.ZodType<DecisionChunk> = z.object({
  id: z.string().min(1),
  connectionId: z.string().min(1),
  domain,
  decisions: z.array(duplicateDecisionSchema),
});
