/**
 * Job documents: one connection (bridge URL, token by reference, property pairs) and its jobs as
 * a JSON file, for backups, version control, moving a set-up between ChurchTools instances and
 * the CLI's `import`/`export`. The format is described in docs/job-format.md; its JSON Schema
 * (docs/job-format.schema.json) is generated from `jobDocumentSchema` below.
 *
 * The document schema is strict (a misspelt key is an error, never silently dropped) and carries
 * descriptions for the JSON Schema. What it produces is checked once more against the stored
 * schemas (`jobSchema`, `connectionSchema`) and the engine's `validateJob`, so a document that
 * validates here is exactly what the UI would have saved. Browser-safe: the UI imports it too.
 */
import { z } from 'zod';
import type { ExtensionStorage } from '../churchtools/kv/storage.ts';
import { MAX_VALUE_LENGTH } from '../churchtools/kv/backend.ts';
import { connectionSchema, jobSchema, type Connection } from '../churchtools/kv/schemas.ts';
import type { Stored } from '../churchtools/kv/documents.ts';
import { PROPERTY_PAIR_KEY_PATTERN } from '../sync/fingerprint.ts';
import type { Condition, Job, Message, PropertyPair } from '../sync/model.ts';
import { validateJob } from '../sync/validate.ts';
import { formatMessage } from './messages.ts';


/**
 * A token pasted with its line end or another control character would be stored as it is and
 * then fail every request with "token not valid": refused at import instead (issue 15 §5).
 */
export const TOKEN_UNSAFE = /[\u0000-\u001f\u007f\s]/u;
export const TOKEN_UNSAFE_TEXT = 'the bridge token contains a line break, space or other control character (copied with the line end?); nothing was stored. Copy the token again without it';

export const JOB_DOCUMENT_FORMAT = 'optigem-sync/jobs';
export const JOB_DOCUMENT_VERSION = 1;

// ---------------------------------------------------------------------------------------------
// Schema

const domainSchema = z.enum(['person', 'transaction']).meta({ description: 'person (Personen) or transaction (Buchungen)' });

const fieldValueSchema = z
  .union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())])
  .meta({ description: 'A property value: text, number, yes/no, empty (null) or a list of ids' });

const tokenSchema = z
  .union(
    [
      z.strictObject({
        env: z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name like OPTIGEM_BRIDGE_TOKEN')
          .meta({ description: 'Name of the environment variable that holds the token when the document is imported with --store-token' }),
      }),
      z.strictObject({
        stored: z.literal(true).meta({ description: 'Use the token already stored in ChurchTools for this connection' }),
      }),
      z.strictObject({
        value: z
          .string()
          .min(1)
          .refine((value) => !TOKEN_UNSAFE.test(value), { error: TOKEN_UNSAFE_TEXT })
          .meta({ description: 'The token itself. Only written when asked to (--include-token); keep such files secret' }),
      }),
    ],
    { error: 'expected {"env": "NAME"}, {"stored": true} or {"value": "TOKEN"}' },
  )
  .meta({ description: 'Where the bridge token comes from. Never the token itself unless explicitly exported with it.' });

const fallbackSchema = z
  .discriminatedUnion(
    'kind',
    [
      z.strictObject({ kind: z.literal('block').meta({ description: 'The job refuses to run and names the value to map' }) }),
      z.strictObject({ kind: z.literal('skip').meta({ description: 'The field is left alone, with a warning in the log' }) }),
      z.strictObject({
        kind: z.literal('fixed').meta({ description: 'This value is written instead' }),
        churchtools: z.string().nullable().meta({ description: 'Value written in ChurchTools (null: empty)' }),
        optigem: z.string().nullable().meta({ description: 'Value written in Optigem (null: empty)' }),
      }),
    ],
    { error: 'expected a fallback with "kind": "block", "skip" or "fixed"' },
  )
  .meta({ description: 'What happens to a value the mapping does not cover (Ersatz)' });

const propertyPairDocumentSchema = z
  .strictObject({
    key: z
      .string()
      .regex(PROPERTY_PAIR_KEY_PATTERN, 'a short key: a lowercase letter, then up to 5 lowercase letters or digits')
      .meta({ description: 'Short stable key (e.g. "ln"); names the field in every pair\'s fingerprint, so never reuse a key for another property' }),
    domain: domainSchema,
    churchtools: z.string().min(1).meta({ description: 'ChurchTools property, e.g. lastName, email, statusId' }),
    optigem: z.string().min(1).meta({ description: 'Optigem property, e.g. Nachname, EMail, Kategorien' }),
    mapping: z
      .strictObject({
        entries: z
          .array(
            z.strictObject({
              churchtools: z.string().meta({ description: 'ChurchTools value (e.g. a status id)' }),
              optigem: z.string().meta({ description: 'Optigem value (e.g. a category id)' }),
            }),
          )
          .meta({ description: 'Value pairs (Zuordnung)' }),
        fallback: fallbackSchema,
        manyToOne: z
          .boolean()
          .optional()
          .meta({ description: 'true: several ChurchTools values may mean one Optigem value; the first entry of an Optigem value is written to ChurchTools' }),
      })
      .optional()
      .meta({ description: 'Value mapping for enumerated values (status ↔ category, sex ↔ Geschlecht); absent for plain values' }),
    role: z
      .literal('donor')
      .optional()
      .meta({ description: 'donor: the values are person ids (bookings\' donor), matched through the person pairs; no mapping is configured' }),
  })
  .meta({ description: 'A property pair (Eigenschaften-Paar), shared by all jobs of the connection' });

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2026-06-30')
  .nullable()
  .optional();

const conditionSchema = z
  .strictObject({
    field: z.string().meta({ description: 'Property of that system, e.g. statusId, Kategorien or (bookings) documentDate' }),
    values: z
      .array(z.string())
      .default([])
      .meta({ description: 'The record meets the row when its value (or one of its values) is listed; empty in a range row' }),
    range: z
      .strictObject({
        from: isoDate.meta({ description: 'First day (YYYY-MM-DD), inclusive; absent or null: open' }),
        to: isoDate.meta({ description: 'Last day (YYYY-MM-DD), inclusive; absent or null: open' }),
      })
      .optional()
      .meta({ description: 'A date range instead of values, e.g. bookings\' documentDate; at least one end must be set' }),
  })
  .meta({ description: 'One condition row: AND across rows, OR within a row' });

const createOptionsSchema = z.strictObject({
  defaults: z
    .record(z.string(), fieldValueSchema)
    .default({})
    .meta({ description: 'Creation defaults on the target system, e.g. {"statusId": "4"} for an "Optigem" status' }),
});
const maintainOptionsSchema = z.strictObject({
  conflictProtection: z
    .boolean()
    .default(true)
    .meta({ description: 'Report a field changed on both sides since the last sync as a conflict instead of overwriting it' }),
  rebook: z
    .boolean()
    .optional()
    .meta({ description: 'Bookings: reverse (storno) and book anew a ChurchTools booking whose change its update cannot carry (spouse, waiver, no cost centre)' }),
});
const noOptionsSchema = z.strictObject({}).meta({ description: 'No options: {}' });

const actionsSchema = z
  .strictObject({
    link: z
      .strictObject({
        mode: z.enum(['newerWins', 'fillEmpty']).meta({ description: 'newerWins: the newer record wins; fillEmpty: only fill empty fields' }),
      })
      .optional()
      .meta({ description: 'Verknüpfen & Eigenschaften vereinheitlichen (link & unify)' }),
    import: createOptionsSchema.optional().meta({ description: 'Personen importieren (create in ChurchTools)' }),
    export: createOptionsSchema.optional().meta({ description: 'Personen exportieren (create in Optigem)' }),
    updateProperties: maintainOptionsSchema.optional().meta({ description: 'Eigenschaften aktualisieren (newer side wins)' }),
    importProperties: maintainOptionsSchema.optional().meta({ description: 'Eigenschaften importieren (Optigem → ChurchTools)' }),
    exportProperties: maintainOptionsSchema.optional().meta({ description: 'Eigenschaften exportieren (ChurchTools → Optigem)' }),
    archiveInChurchTools: noOptionsSchema.optional().meta({ description: 'Im eigenen System archivieren' }),
    deleteInChurchTools: noOptionsSchema.optional().meta({ description: 'Im eigenen System löschen' }),
    archiveInOptigem: noOptionsSchema.optional().meta({ description: 'Im verbundenen System archivieren' }),
    deleteInOptigem: noOptionsSchema.optional().meta({ description: 'Im verbundenen System löschen' }),
  })
  .meta({ description: 'Selected actions (Aktionen) with their options; an action that is absent is not selected' });

const jobDocumentJobSchema = z
  .strictObject({
    id: z.string().min(1).optional().meta({ description: 'Stable id; absent: a job of the same name is updated, or a new one is made' }),
    name: z.string().min(1).meta({ description: 'Name of the job (Auftrag); the CLI finds jobs by it' }),
    domain: domainSchema,
    actions: actionsSchema,
    conditions: z
      .strictObject({
        churchtools: z.array(conditionSchema).default([]).meta({ description: 'Conditions on ChurchTools (eigenes System)' }),
        optigem: z.array(conditionSchema).default([]).meta({ description: 'Conditions on Optigem (verbundenes System)' }),
      })
      .default({ churchtools: [], optigem: [] })
      .meta({ description: 'Conditions (Bedingungen) per system; none: every record meets them' }),
    propertyPairKeys: z.array(z.string()).meta({ description: 'Keys of the connection\'s property pairs this job reads and writes' }),
    autoRun: z.boolean().default(false).meta({ description: 'Automatic execution (automatische Ausführung) by the nightly runner' }),
    unattended: z
      .strictObject({
        allow: z.array(z.enum(['create', 'archive', 'delete'])).meta({ description: 'Kinds of writes a nightly run may do even beyond the last simulation' }),
        margin: z.int().min(0).meta({ description: 'How many more creates, archives or deletes than simulated are still no surprise' }),
      })
      .optional()
      .meta({ description: 'What a nightly run may do beyond the last simulation; default: updates and links only, margin 2' }),
    scope: z
      .strictObject({
        fiscalYear: z.string().regex(/^\d{4}$/, 'a year like "2026"').meta({ description: 'The fiscal year (Geschäftsjahr) the job syncs, e.g. "2026"' }),
        clientId: z
          .string()
          .regex(/^\d+$/, 'the id of a ChurchTools finance client, e.g. "1"')
          .optional()
          .meta({ description: 'ChurchTools finance client (Mandant) whose accounting period is meant, when several periods start in the year' }),
      })
      .optional()
      .meta({ description: 'Bookings (transaction) only, and required there: which fiscal year, e.g. {"fiscalYear": "2026"}' }),
  })
  .meta({ description: 'A job (Auftrag)' });

const connectionDocumentSchema = z
  .strictObject({
    id: z.string().min(1).optional().meta({ description: 'Stable id; absent: a connection of the same name is updated, or a new one is made' }),
    name: z.string().min(1).meta({ description: 'Name of the connection (Verbindung)' }),
    bridgeUrl: z.url({ protocol: /^https?$/, error: 'an http(s) URL like https://optigem-bridge.gemeinde.de:8478' }).meta({
      description: 'Address of the Optigem bridge',
    }),
    token: tokenSchema,
    propertyPairs: z.array(propertyPairDocumentSchema).meta({ description: 'Property pairs (Eigenschaften-Paare)' }),
    partnerNumbers: z
      .strictObject({
        show: z.boolean().meta({ description: 'Write the Optigem number into each linked ChurchTools person (one request per person); default false' }),
        perRun: z.int().min(1).max(100_000).meta({ description: 'At most this many such writes per run; the rest follow in later runs (e.g. 500)' }),
      })
      .optional()
      .meta({ description: 'Show the Optigem number on ChurchTools persons (optigemId); absent: off' }),
  })
  .meta({ description: 'The connection (Verbindung) to one Optigem bridge' });

export const jobDocumentSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: 'Optional: path or URL of this JSON Schema, for editors' }),
    format: z.literal(JOB_DOCUMENT_FORMAT, { error: `not a job document: "format" must be "${JOB_DOCUMENT_FORMAT}"` }),
    version: z.literal(JOB_DOCUMENT_VERSION, {
      error: `unsupported version: this optigem-sync reads version ${JOB_DOCUMENT_VERSION}; a newer file needs a newer optigem-sync`,
    }),
    connection: connectionDocumentSchema,
    jobs: z.array(jobDocumentJobSchema).meta({ description: 'Jobs (Aufträge) of the connection' }),
  })
  .meta({
    title: 'optigem-sync job document',
    description: 'One Optigem connection with its property pairs and jobs (docs/job-format.md).',
  });

export type JobDocument = z.output<typeof jobDocumentSchema>;
export type JobDocumentInput = z.input<typeof jobDocumentSchema>;
export type DocumentConnection = JobDocument['connection'];
export type DocumentJob = JobDocument['jobs'][number];
export type TokenReference = DocumentConnection['token'];

// The document's parts must stay assignable to the engine's model: a change to model.ts that the
// document cannot express fails the type check here rather than at an admin's import.
type Assignable<T extends U, U> = T;
type _PairFits = Assignable<DocumentConnection['propertyPairs'][number], PropertyPair>;
type _JobFits = Assignable<Omit<DocumentJob, 'id'> & { id: string; connectionId: string }, Job>;

/** The JSON Schema of the document (draft 2020-12), as committed in docs/job-format.schema.json. */
export function jobDocumentJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://optigem-sync.invalid/schemas/job-format.schema.json',
    ...z.toJSONSchema(jobDocumentSchema, { io: 'input', target: 'draft-2020-12' }),
  };
}

// ---------------------------------------------------------------------------------------------
// Validation

export interface DocumentProblem {
  /** JSON path into the document, e.g. `$.jobs[0].actions.updateProperties`. */
  readonly path: string;
  /** Plain English for people. */
  readonly message: string;
  /** For engine checks: the i18n key and arguments, for the UI to translate. */
  readonly key?: string;
  readonly args?: Readonly<Record<string, string | number>>;
}

export type DocumentValidation = { readonly ok: true; readonly document: JobDocument } | { readonly ok: false; readonly problems: DocumentProblem[] };

export function jsonPath(segments: readonly PropertyKey[]): string {
  return `$${segments
    .map((s) => (typeof s === 'number' ? `[${s}]` : typeof s === 'string' && /^[A-Za-z_$][\w$]*$/.test(s) ? `.${s}` : `[${JSON.stringify(String(s))}]`))
    .join('')}`;
}

function zodProblems(error: z.ZodError, prefix: readonly PropertyKey[] = []): DocumentProblem[] {
  const problems: DocumentProblem[] = [];
  for (const issue of error.issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      // One problem per key, pointing at the key itself: that is what the admin must fix.
      for (const key of issue.keys) problems.push({ path: jsonPath([...path, key]), message: `unknown property "${key}"` });
    } else {
      problems.push({ path: jsonPath(path), message: issue.message });
    }
  }
  return problems;
}

function engineProblem(path: string, message: Message): DocumentProblem {
  return { path, message: formatMessage(message, 'en'), key: message.key, ...(message.args ? { args: message.args } : {}) };
}

/** The stored form of a document job; placeholders stand in for ids the document leaves out. */
function toJob(job: DocumentJob, index: number, connectionId: string): Job {
  const { id, ...rest } = job;
  return { ...rest, id: id ?? `(jobs[${index}])`, connectionId };
}

/** Stored documents hold at most 10,000 characters including their envelope (~150). */
const ENVELOPE_RESERVE = 200;

function sizeProblem(path: string, what: string, data: unknown): DocumentProblem | null {
  const length = JSON.stringify(data).length + ENVELOPE_RESERVE;
  if (length <= MAX_VALUE_LENGTH) return null;
  return { path, message: `${what} needs about ${length} characters; ChurchTools stores at most ${MAX_VALUE_LENGTH} per value. Remove property pairs or mapping entries.` };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a parsed JSON value. Reports every problem it can find with its JSON path: structure
 * (zod), duplicate keys and names, the engine's job rules (`validateJob`, including unknown
 * property-pair keys) and the size limit of a stored value. Parts that are valid on their own
 * are checked further even when other parts are broken, so one pass lists everything.
 */
export function validateDocument(json: unknown): DocumentValidation {
  const parsed = jobDocumentSchema.safeParse(json);
  const problems: DocumentProblem[] = parsed.success ? [] : zodProblems(parsed.error);

  // Semantic checks on whatever parts parse on their own; misspelt keys, already reported,
  // are dropped first so that the rest of their object is still checked.
  const raw = isRecord(json) ? (parsed.success ? json : withoutUnknownKeys(json, parsed.error.issues)) : {};
  const connection = connectionDocumentSchema.safeParse(raw['connection']);
  const rawConnection = isRecord(raw['connection']) ? raw['connection'] : {};
  const rawPairs = Array.isArray(rawConnection['propertyPairs']) ? (rawConnection['propertyPairs'] as unknown[]) : null;
  const parsedPairs = rawPairs?.map((pair) => propertyPairDocumentSchema.safeParse(pair)) ?? [];
  const pairs: PropertyPair[] | null = rawPairs ? parsedPairs.flatMap((result) => (result.success ? [result.data] : [])) : null;
  // A pair that is broken itself is reported already; jobs naming its key are not wrong as well.
  const brokenKeys = new Set(
    (rawPairs ?? []).flatMap((pair, index) => (!parsedPairs[index]?.success && isRecord(pair) && typeof pair['key'] === 'string' ? [pair['key']] : [])),
  );
  const rawJobs = Array.isArray(raw['jobs']) ? (raw['jobs'] as unknown[]) : [];
  const jobs = rawJobs.map((job) => jobDocumentJobSchema.safeParse(job));

  if (pairs) {
    const firstAt = new Map<string, number>();
    parsedPairs.forEach((result, index) => {
      if (!result.success) return;
      const pair = result.data;
      const seen = firstAt.get(pair.key);
      if (seen === undefined) firstAt.set(pair.key, index);
      else problems.push({ path: `$.connection.propertyPairs[${index}].key`, message: `duplicate key "${pair.key}" (also at $.connection.propertyPairs[${seen}])` });
    });
  }
  if (connection.success) {
    const size = sizeProblem('$.connection', 'The connection', connection.data);
    if (size) problems.push(size);
  }

  // Ids and names must be unique; checked on the raw values, so a job broken elsewhere counts too.
  const ids = new Map<string, number>();
  const names = new Map<string, number>();
  rawJobs.forEach((rawJob, index) => {
    if (!isRecord(rawJob)) return;
    const { id, name } = rawJob;
    if (typeof id === 'string') {
      const seen = ids.get(id);
      if (seen === undefined) ids.set(id, index);
      else problems.push({ path: `$.jobs[${index}].id`, message: `duplicate job id "${id}" (also at $.jobs[${seen}])` });
    }
    if (typeof name === 'string' && name.trim() !== '') {
      const folded = name.trim().toLowerCase();
      const seen = names.get(folded);
      if (seen === undefined) names.set(folded, index);
      else problems.push({ path: `$.jobs[${index}].name`, message: `duplicate job name "${name}" (also at $.jobs[${seen}]); the CLI finds jobs by name` });
    }
  });

  jobs.forEach((result, index) => {
    if (!result.success) return;
    const job = result.data;
    const at = `$.jobs[${index}]`;
    const keys = new Map<string, number>();
    job.propertyPairKeys.forEach((key, k) => {
      const first = keys.get(key);
      if (first === undefined) keys.set(key, k);
      else problems.push({ path: `${at}.propertyPairKeys[${k}]`, message: `property pair "${key}" is listed twice` });
    });

    if (pairs) {
      const stored = toJob(job, index, connection.success ? (connection.data.id ?? '(connection)') : '(connection)');
      for (const issue of validateJob(stored, pairs)) {
        // Key syntax of the connection's pairs is checked once by the schema, not once per job.
        if (issue.path.startsWith('propertyPairs.')) continue;
        if (issue.message.key === 'validation.unknownPropertyPair' && brokenKeys.has(String(issue.message.args?.['key']))) continue;
        problems.push(engineProblem(`${at}.${issue.path}`, issue.message));
      }
      const storedCheck = jobSchema.safeParse(stored);
      if (!storedCheck.success) problems.push(...zodProblems(storedCheck.error, ['jobs', index]));
      const size = sizeProblem(at, `The job "${job.name}"`, stored);
      if (size) problems.push(size);
    }
  });

  if (connection.success) {
    const { token: _token, ...rest } = connection.data;
    const storedCheck = connectionSchema.safeParse({ ...rest, id: rest.id ?? '(connection)' });
    if (!storedCheck.success) problems.push(...zodProblems(storedCheck.error, ['connection']));
  }

  if (!parsed.success || problems.length > 0) return { ok: false, problems: dedupe(problems) };
  return { ok: true, document: parsed.data };
}

/** A copy of `json` without the keys zod reported as unrecognised. */
function withoutUnknownKeys(json: Record<string, unknown>, issues: readonly z.core.$ZodIssue[]): Record<string, unknown> {
  const copy = structuredClone(json);
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    let node: unknown = copy;
    for (const segment of issue.path) {
      node = isRecord(node) || Array.isArray(node) ? (node as Record<PropertyKey, unknown>)[segment as keyof typeof node] : undefined;
    }
    if (isRecord(node)) for (const key of issue.keys) delete node[key];
  }
  return copy;
}

function dedupe(problems: readonly DocumentProblem[]): DocumentProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const id = `${p.path}\u0000${p.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Parses text and validates it; JSON syntax errors are a problem at `$`. */
export function validateDocumentText(text: string): DocumentValidation {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [{ path: '$', message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}`, key: 'jobDocumentProblem.notJson', args: {} }] };
  }
  return validateDocument(json);
}

// ---------------------------------------------------------------------------------------------
// Export

export type DocumentStorage = Pick<ExtensionStorage, 'connections' | 'jobs' | 'secrets'>;

export interface ExportOptions {
  /** Only this job (by name or id) and its connection. */
  readonly jobName?: string;
  /** The connection (by name or id) when there are several and no job is named. */
  readonly connection?: string;
  /**
   * How to refer to the token: `stored` (default), an environment variable, or `inline` — the
   * token itself, which makes the file a secret; only on an explicit request.
   */
  readonly token?: { readonly kind: 'stored' } | { readonly kind: 'env'; readonly name: string } | { readonly kind: 'inline' };
}

export interface ExportResult {
  readonly document: JobDocument;
  /** Stored values that could not be read and are therefore missing from the document. */
  readonly warnings: readonly string[];
}

export type DocumentErrorCode = 'noConnection' | 'connectionNotFound' | 'connectionAmbiguous' | 'jobNotFound' | 'jobAmbiguous' | 'tokenMissing';

/** Export or import cannot proceed; `code` says why, the message says what to do. */
export class JobDocumentError extends Error {
  constructor(
    readonly code: DocumentErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'JobDocumentError';
  }
}

interface Named {
  readonly id: string;
  readonly name: string;
}

/**
 * Finds by id, then by exact name, then by name ignoring case. Returns the matches of the first
 * rule that matches anything, so "Personen" never silently picks one of two "personen".
 */
export function findByNameOrId<T extends Named>(items: readonly T[], wanted: string): T[] {
  const byId = items.filter((item) => item.id === wanted);
  if (byId.length > 0) return byId;
  const exact = items.filter((item) => item.name === wanted);
  if (exact.length > 0) return exact;
  const folded = wanted.trim().toLowerCase();
  return items.filter((item) => item.name.trim().toLowerCase() === folded);
}

function documentCondition(condition: Condition): DocumentJob['conditions']['churchtools'][number] {
  const { range } = condition;
  return {
    field: condition.field,
    values: [...condition.values],
    // As stored (an open end absent or null), so importing the export again changes nothing.
    ...(range ? { range: { ...(range.from !== undefined ? { from: range.from } : {}), ...(range.to !== undefined ? { to: range.to } : {}) } } : {}),
  };
}

function documentJob(job: Job): DocumentJob {
  // Key order as in docs/job-format.md, so exported files diff nicely.
  return {
    id: job.id,
    name: job.name,
    domain: job.domain,
    // Structurally the same object (checked by _JobFits above); only readonly-ness differs.
    actions: structuredClone(job.actions) as DocumentJob['actions'],
    conditions: {
      churchtools: job.conditions.churchtools.map(documentCondition),
      optigem: job.conditions.optigem.map(documentCondition),
    },
    propertyPairKeys: [...job.propertyPairKeys],
    autoRun: job.autoRun,
    ...(job.unattended ? { unattended: { allow: [...job.unattended.allow], margin: job.unattended.margin } } : {}),
    ...documentScope(job.scope),
  };
}

/** The document knows the transaction scope only; a stored job without a fiscal year has none. */
function documentScope(scope: Job['scope']): Pick<DocumentJob, 'scope'> {
  const fiscalYear = scope?.['fiscalYear'];
  if (fiscalYear === undefined) return {};
  const clientId = scope?.['clientId'];
  return { scope: { fiscalYear, ...(clientId !== undefined ? { clientId } : {}) } };
}

function problemText(problem: { readonly category: string; readonly valueId: number; readonly reason: string }): string {
  return `${problem.category} value ${problem.valueId} could not be read (${problem.reason}); it is not in the document`;
}

export async function exportDocument(storage: DocumentStorage, options: ExportOptions = {}): Promise<ExportResult> {
  const [connections, jobs] = await Promise.all([storage.connections.list(), storage.jobs.list()]);
  const warnings = [...connections.problems, ...jobs.problems].map(problemText);
  let connection: Connection;
  let selected: Job[];
  if (options.jobName !== undefined) {
    const matches = findByNameOrId(
      jobs.items.map((j) => j.data),
      options.jobName,
    );
    const job = matches[0];
    if (!job) throw new JobDocumentError('jobNotFound', `No job "${options.jobName}". Jobs: ${jobs.items.map((j) => j.data.name).join(', ') || 'none'}.`);
    if (matches.length > 1) throw new JobDocumentError('jobAmbiguous', `Several jobs are called "${options.jobName}"; give the job's id (${matches.map((m) => m.id).join(', ')}).`);
    const found = connections.items.find((c) => c.data.id === job.connectionId);
    if (!found) throw new JobDocumentError('connectionNotFound', `The connection ${job.connectionId} of job "${job.name}" does not exist.`);
    connection = found.data;
    selected = [job];
  } else {
    const all = connections.items.map((c) => c.data);
    let chosen: Connection[];
    if (options.connection !== undefined) {
      chosen = findByNameOrId(all, options.connection);
      if (chosen.length === 0) throw new JobDocumentError('connectionNotFound', `No connection "${options.connection}". Connections: ${all.map((c) => c.name).join(', ') || 'none'}.`);
    } else {
      chosen = all;
      if (chosen.length === 0) throw new JobDocumentError('noConnection', 'There is no connection to export yet.');
    }
    if (chosen.length > 1) {
      throw new JobDocumentError('connectionAmbiguous', `Several connections (${chosen.map((c) => `${c.name} [${c.id}]`).join(', ')}); name one.`);
    }
    connection = chosen[0] as Connection;
    selected = jobs.items.map((j) => j.data).filter((j) => j.connectionId === connection.id);
  }

  const tokenOption = options.token ?? { kind: 'stored' };
  let token: TokenReference;
  if (tokenOption.kind === 'env') token = { env: tokenOption.name };
  else if (tokenOption.kind === 'inline') {
    const value = await storage.secrets.token(connection.id);
    if (!value) throw new JobDocumentError('tokenMissing', `No bridge token is stored for connection "${connection.name}".`);
    token = { value };
  } else token = { stored: true };

  const document: JobDocument = {
    format: JOB_DOCUMENT_FORMAT,
    version: JOB_DOCUMENT_VERSION,
    connection: {
      id: connection.id,
      name: connection.name,
      bridgeUrl: connection.bridgeUrl,
      token,
      propertyPairs: connection.propertyPairs.map((pair) => structuredClone(pair) as DocumentConnection['propertyPairs'][number]),
      ...(connection.partnerNumbers ? { partnerNumbers: { ...connection.partnerNumbers } } : {}),
    },
    jobs: selected.sort((a, b) => a.name.localeCompare(b.name)).map(documentJob),
  };
  return { document, warnings };
}

// ---------------------------------------------------------------------------------------------
// Import

export type Change = 'created' | 'updated' | 'unchanged';

export interface ImportOptions {
  /** Write an inline token (`{"value": …}`) to the stored secrets. Without it, inline tokens are ignored. */
  readonly writeToken?: boolean;
  /** New ids for connections and jobs the document gives none; default random UUIDs. */
  readonly newId?: () => string;
}

export type TokenOutcome = 'written' | 'unchanged' | 'ignoredInline' | 'notStored' | 'keptStored' | 'missing';

export type ImportResult =
  | {
      readonly ok: true;
      readonly connection: { readonly id: string; readonly name: string; readonly change: Change };
      readonly jobs: readonly { readonly id: string; readonly name: string; readonly change: Change }[];
      readonly token: TokenOutcome;
      /** Things the admin should know (token not stored, …). */
      readonly notes: readonly string[];
    }
  | { readonly ok: false; readonly problems: DocumentProblem[] };

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** Sorted keys, so that key order alone never counts as a change. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.keys(value)
        .filter((key) => value[key] !== undefined)
        .sort()
        .map((key) => [key, canonical(value[key])]),
    );
  }
  return value;
}

interface PlannedWrite<T> {
  readonly data: T;
  readonly current: Stored<T> | null;
  readonly change: Change;
}

/**
 * Validates the document completely — on its own and against what is stored — and only then
 * writes: the connection, its jobs, and the token if the document carries it inline and
 * `writeToken` is set. An invalid document changes nothing (and is not even compared with
 * storage). Stored jobs that the document does not mention are left alone, but must still fit
 * the imported property pairs. ChurchTools has no transactions: should a write fail midway (a
 * concurrent edit), importing the same document again completes it.
 */
export async function importDocument(storage: DocumentStorage, json: unknown, options: ImportOptions = {}): Promise<ImportResult> {
  const validation = validateDocument(json);
  if (!validation.ok) return validation;
  const { document } = validation;
  const newId = options.newId ?? (() => globalThis.crypto.randomUUID());

  const [connections, jobs] = await Promise.all([storage.connections.list(), storage.jobs.list()]);
  const problems: DocumentProblem[] = [];

  // Which stored connection this is: by id, else by name, else a new one.
  let current: Stored<Connection> | null = null;
  const doc = document.connection;
  if (doc.id !== undefined) current = connections.items.find((c) => c.data.id === doc.id) ?? null;
  else {
    const byName = connections.items.filter((c) => c.data.name.trim().toLowerCase() === doc.name.trim().toLowerCase());
    if (byName.length > 1) problems.push({ path: '$.connection.name', message: `several stored connections are called "${doc.name}"; give the connection's id` });
    current = byName[0] ?? null;
  }
  const brokenConnection = connections.problems.filter((p) => p.documentId !== undefined && p.documentId === (doc.id ?? current?.data.id));
  for (const broken of brokenConnection) problems.push({ path: '$.connection', message: `the stored connection cannot be read (${broken.reason}); repair or remove it in ChurchTools first` });
  const connectionId = doc.id ?? current?.data.id ?? newId();
  const { token, ...connectionFields } = doc;
  // Couple corrections are the admin's decisions in the module, not part of a job document: kept.
  const kept = current?.data.coupleCorrections;
  const connection: Connection = { ...connectionFields, id: connectionId, ...(kept ? { coupleCorrections: kept } : {}) };

  const storedJobs = jobs.items.filter((j) => j.data.connectionId === connectionId);
  const plannedJobs: PlannedWrite<Job>[] = [];
  const claimed = new Set<string>();
  document.jobs.forEach((job, index) => {
    const at = `$.jobs[${index}]`;
    let existing: Stored<Job> | null = null;
    if (job.id !== undefined) {
      existing = jobs.items.find((j) => j.data.id === job.id) ?? null;
      if (existing && existing.data.connectionId !== connectionId) {
        problems.push({ path: `${at}.id`, message: `job id "${job.id}" belongs to another connection (${existing.data.connectionId})` });
        return;
      }
      const broken = jobs.problems.find((p) => p.documentId === job.id);
      if (broken) problems.push({ path: at, message: `the stored job cannot be read (${broken.reason}); repair or remove it in ChurchTools first` });
    } else {
      const byName = storedJobs.filter((j) => j.data.name.trim().toLowerCase() === job.name.trim().toLowerCase());
      if (byName.length > 1) {
        problems.push({ path: `${at}.name`, message: `several stored jobs are called "${job.name}"; give the job's id` });
        return;
      }
      existing = byName[0] ?? null;
    }
    const id = job.id ?? existing?.data.id ?? newId();
    const clash = storedJobs.find((j) => j.data.id !== id && j.data.name.trim().toLowerCase() === job.name.trim().toLowerCase() && !document.jobs.some((d) => d.id === j.data.id));
    if (clash) problems.push({ path: `${at}.name`, message: `another stored job (${clash.data.id}) is already called "${clash.data.name}"` });
    claimed.add(id);
    const data = toJob(job, index, connectionId);
    const full: Job = { ...data, id };
    plannedJobs.push({ data: full, current: existing, change: existing === null ? 'created' : sameJson(existing.data, full) ? 'unchanged' : 'updated' });
  });

  // Stored jobs the document leaves out keep running against the imported property pairs.
  const keys = new Set(connection.propertyPairs.map((p) => p.key));
  for (const other of storedJobs) {
    if (claimed.has(other.data.id)) continue;
    const missing = other.data.propertyPairKeys.filter((key) => !keys.has(key));
    if (missing.length > 0) {
      problems.push({
        path: '$.connection.propertyPairs',
        message: `the stored job "${other.data.name}" (${other.data.id}), not in this document, uses property pair(s) ${missing.map((k) => `"${k}"`).join(', ')} which this document removes`,
      });
    }
  }

  const notes: string[] = [];
  let tokenOutcome: TokenOutcome;
  // Read before any write: a token that must be stored but cannot be (missing rights on the
  // secrets category) fails the import here, not after the connection and jobs were written.
  const storedToken = options.writeToken ? await storage.secrets.token(connectionId) : await storage.secrets.token(connectionId).catch(() => null);
  if ('value' in token) {
    if (options.writeToken) tokenOutcome = storedToken === token.value ? 'unchanged' : 'written';
    else {
      tokenOutcome = 'ignoredInline';
      notes.push('The document contains a bridge token; it was not stored (import with --store-token to store it).');
    }
  } else if ('env' in token) {
    tokenOutcome = storedToken ? 'keptStored' : 'notStored';
    notes.push(
      storedToken
        ? `The token refers to the environment variable ${token.env}; the token stored in ChurchTools was kept.`
        : `No bridge token is stored for this connection. Import with ${token.env} set and --store-token, or enter it in the extension.`,
    );
  } else {
    tokenOutcome = storedToken ? 'keptStored' : 'missing';
    if (!storedToken) notes.push('No bridge token is stored for this connection yet: enter it in the extension or import with --store-token.');
  }

  if (problems.length > 0) return { ok: false, problems: dedupe(problems) };

  const connectionChange: Change = current === null ? 'created' : sameJson(current.data, connection) ? 'unchanged' : 'updated';
  if (connectionChange !== 'unchanged') await storage.connections.save(connection, current?.revision ?? null);
  for (const job of plannedJobs) {
    if (job.change !== 'unchanged') await storage.jobs.save(job.data, job.current?.revision ?? null);
  }
  if ('value' in token && options.writeToken && tokenOutcome === 'written') await storage.secrets.setToken(connectionId, token.value);

  return {
    ok: true,
    connection: { id: connectionId, name: connection.name, change: connectionChange },
    jobs: plannedJobs.map((j) => ({ id: j.data.id, name: j.data.name, change: j.change })),
    token: tokenOutcome,
    notes,
  };
}
