/**
 * zod schemas for everything the extension stores, mirroring src/sync/model.ts. Stored data is
 * read back through these, so a value edited by hand or written by a broken build is reported
 * instead of trusted.
 */
import { z } from 'zod';
import {
  PERSON_ACTIONS,
  type Conditions,
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
const maintainOptions = z.object({ conflictProtection: z.boolean() });

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
  status: z.enum(['running', 'succeeded', 'finishedWithErrors', 'refused', 'cancelled']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  counters: z.object({ churchtools: writeCounters, optigem: writeCounters, both: writeCounters }),
  errorCount: z.number(),
  conflictCount: z.number(),
  refusal: messageSchema.optional(),
});

export const logEntrySchema: z.ZodType<LogEntry> = z.object({
  seq: z.number(),
  action: z.enum([...PERSON_ACTIONS, 'restore', 'pairs']),
  type: z.enum(['link', 'create', 'update', 'archive', 'delete', 'unlink', 'conflict', 'duplicate', 'skip']),
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
});

/** A connection to one Optigem bridge. The token is not here: it lives in the `secrets` category. */
export interface Connection {
  readonly id: string;
  readonly name: string;
  readonly bridgeUrl: string;
  /** Shared by all jobs of the connection (DESIGN §2). */
  readonly propertyPairs: readonly PropertyPair[];
}

export const connectionSchema: z.ZodType<Connection> = z.object({
  id: z.string().min(1),
  name: z.string(),
  bridgeUrl: z.string(),
  propertyPairs: z.array(propertyPairSchema),
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

export interface RunLock {
  /** The job id: one lock per job. */
  readonly id: string;
  /** Who holds it, e.g. "browser:Anna Müller:3f2a" or "bridge-nightly". */
  readonly owner: string;
  readonly acquiredAt: string;
  readonly expiresAt: string;
}

export const runLockSchema: z.ZodType<RunLock> = z.object({
  id: z.string().min(1),
  owner: z.string().min(1),
  acquiredAt: z.string(),
  expiresAt: z.string(),
});
