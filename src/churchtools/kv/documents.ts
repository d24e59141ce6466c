/**
 * One document per value, in one category: the storage for connections, jobs, executions,
 * secrets and locks. Every value is JSON `{schemaVersion, revision, updatedAt, updatedBy, data}`.
 * Reads validate with zod and report values that fail (never dropping them silently); writes
 * re-read first and refuse to overwrite a revision other than the one the caller saw.
 * ChurchTools has no conditional writes, so a window between that re-read and the write
 * remains; it is one request wide.
 */
import { z } from 'zod';
import { MAX_VALUE_LENGTH, type KvValue } from './backend.ts';
import type { KvCategories } from './categories.ts';
import { CorruptValueError, StaleRevisionError, ValueTooLargeError, type KvProblem } from './errors.ts';

export const SCHEMA_VERSION = 1;

export const envelopeSchema = z.object({
  schemaVersion: z.number().int().min(1),
  revision: z.number().int().min(1),
  updatedAt: z.string(),
  updatedBy: z.string().optional(),
  data: z.unknown(),
});

export interface Stored<T> {
  readonly valueId: number;
  readonly revision: number;
  readonly updatedAt: string;
  readonly updatedBy?: string;
  readonly data: T;
}

export interface ListResult<T> {
  readonly items: Stored<T>[];
  /** Values that could not be read; they stay as they are. */
  readonly problems: KvProblem[];
}

export interface DocumentOptions {
  readonly now?: () => Date;
  /** Written as `updatedBy`, e.g. the user's name. */
  readonly author?: string;
}

type Parsed<T> = { ok: true; stored: Stored<T> } | { ok: false; problem: KvProblem };

const idProbe = z.looseObject({ data: z.looseObject({ id: z.string() }) });

/** Parses one stored value; `describe` turns schema errors into a short reason. */
export function parseEnvelope<T>(category: string, value: KvValue, schema: z.ZodType<T>, newest: number = SCHEMA_VERSION): Parsed<T> {
  let json: unknown;
  try {
    json = JSON.parse(value.value);
  } catch {
    return { ok: false, problem: { category, valueId: value.id, reason: 'not valid JSON' } };
  }
  const probe = idProbe.safeParse(json);
  const documentId = probe.success ? probe.data.data.id : undefined;
  const fail = (reason: string): Parsed<T> => ({
    ok: false,
    problem: { category, valueId: value.id, reason, ...(documentId !== undefined ? { documentId } : {}) },
  });
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) return fail(`no valid envelope: ${z.prettifyError(envelope.error).slice(0, 300)}`);
  if (envelope.data.schemaVersion > newest) {
    return fail(`written by a newer version of the extension (schema ${envelope.data.schemaVersion})`);
  }
  const data = schema.safeParse(envelope.data.data);
  if (!data.success) return fail(`invalid content: ${z.prettifyError(data.error).slice(0, 300)}`);
  return {
    ok: true,
    stored: {
      valueId: value.id,
      revision: envelope.data.revision,
      updatedAt: envelope.data.updatedAt,
      ...(envelope.data.updatedBy !== undefined ? { updatedBy: envelope.data.updatedBy } : {}),
      data: data.data,
    },
  };
}

export function serialiseEnvelope(
  data: unknown,
  revision: number,
  meta: { readonly updatedAt: string; readonly updatedBy?: string | undefined },
  what: string,
  schemaVersion: number = SCHEMA_VERSION,
): string {
  const text = JSON.stringify({
    schemaVersion,
    revision,
    updatedAt: meta.updatedAt,
    ...(meta.updatedBy !== undefined ? { updatedBy: meta.updatedBy } : {}),
    data,
  });
  if (text.length > MAX_VALUE_LENGTH) throw new ValueTooLargeError(what, text.length, MAX_VALUE_LENGTH);
  return text;
}

export class DocumentCollection<T extends { readonly id: string }> {
  readonly shorty: string;
  private readonly categories: KvCategories;
  private readonly schema: z.ZodType<T>;
  private readonly options: DocumentOptions;

  constructor(categories: KvCategories, shorty: string, schema: z.ZodType<T>, options: DocumentOptions = {}) {
    this.categories = categories;
    this.shorty = shorty;
    this.schema = schema;
    this.options = options;
  }

  async list(): Promise<ListResult<T>> {
    const categoryId = await this.categories.id(this.shorty);
    const values = await this.categories.kv.listValues(categoryId);
    const byId = new Map<string, Stored<T>>();
    const problems: KvProblem[] = [];
    for (const value of values) {
      const parsed = parseEnvelope(this.shorty, value, this.schema);
      if (!parsed.ok) {
        problems.push(parsed.problem);
        continue;
      }
      const id = parsed.stored.data.id;
      const seen = byId.get(id);
      // Two browsers creating the same document at once leave two values: the higher
      // revision (then the older value) wins, deterministically for every reader.
      if (!seen || parsed.stored.revision > seen.revision || (parsed.stored.revision === seen.revision && parsed.stored.valueId < seen.valueId)) {
        byId.set(id, parsed.stored);
      }
    }
    return { items: [...byId.values()], problems };
  }

  /** The document, or null. Throws CorruptValueError when its value exists but cannot be read. */
  async get(id: string): Promise<Stored<T> | null> {
    const { items, problems } = await this.list();
    const broken = problems.filter((p) => p.documentId === id);
    const found = items.find((item) => item.data.id === id) ?? null;
    if (!found && broken.length > 0) throw new CorruptValueError(broken, `${this.shorty}/${id}`);
    return found;
  }

  /**
   * Saves `data` if the stored revision still is `expectedRevision` (null: "must not exist yet").
   * Returns the stored document with its new revision.
   */
  async save(data: T, expectedRevision: number | null): Promise<Stored<T>> {
    const valid = this.schema.parse(data);
    const categoryId = await this.categories.id(this.shorty);
    const { items, problems } = await this.list();
    const broken = problems.filter((p) => p.documentId === valid.id);
    if (broken.length > 0) throw new CorruptValueError(broken, `${this.shorty}/${valid.id}`);
    const current = items.find((item) => item.data.id === valid.id) ?? null;
    const actual = current?.revision ?? null;
    if (actual !== expectedRevision) throw new StaleRevisionError(this.shorty, valid.id, expectedRevision, actual);
    const revision = (actual ?? 0) + 1;
    const updatedAt = (this.options.now?.() ?? new Date()).toISOString();
    const updatedBy = this.options.author;
    const text = serialiseEnvelope(valid, revision, { updatedAt, updatedBy }, `${this.shorty}/${valid.id}`);
    let valueId: number;
    if (current) {
      await this.categories.kv.updateValue(categoryId, current.valueId, text);
      valueId = current.valueId;
    } else {
      valueId = (await this.categories.kv.createValue(categoryId, text)).id;
    }
    return { valueId, revision, updatedAt, ...(updatedBy !== undefined ? { updatedBy } : {}), data: valid };
  }

  /**
   * Creates a document whose id nobody else can hold (a fresh random id, e.g. an execution's):
   * one write, no re-read — the "must not exist yet" check of `save` could never fail for it.
   */
  async create(data: T): Promise<Stored<T>> {
    const valid = this.schema.parse(data);
    const categoryId = await this.categories.id(this.shorty);
    const { text, stored } = this.envelope(valid, 1);
    const value = await this.categories.kv.createValue(categoryId, text);
    return { ...stored, valueId: value.id };
  }

  /**
   * Overwrites a document that only its writer changes (an execution by its own run) with the
   * revision after `current`, which this writer stored itself: one write, no re-read.
   */
  async replace(current: Stored<T>, data: T): Promise<Stored<T>> {
    const valid = this.schema.parse(data);
    const categoryId = await this.categories.id(this.shorty);
    const { text, stored } = this.envelope(valid, current.revision + 1);
    await this.categories.kv.updateValue(categoryId, current.valueId, text);
    return { ...stored, valueId: current.valueId };
  }

  private envelope(valid: T, revision: number): { text: string; stored: Omit<Stored<T>, 'valueId'> } {
    const updatedAt = (this.options.now?.() ?? new Date()).toISOString();
    const updatedBy = this.options.author;
    const text = serialiseEnvelope(valid, revision, { updatedAt, updatedBy }, `${this.shorty}/${valid.id}`);
    return { text, stored: { revision, updatedAt, ...(updatedBy !== undefined ? { updatedBy } : {}), data: valid } };
  }

  /** Deletes the document; with `expectedRevision`, only if nobody changed it since. */
  async remove(id: string, expectedRevision?: number): Promise<void> {
    const categoryId = await this.categories.id(this.shorty);
    const { items } = await this.list();
    const current = items.find((item) => item.data.id === id);
    if (!current) return;
    if (expectedRevision !== undefined && current.revision !== expectedRevision) {
      throw new StaleRevisionError(this.shorty, id, expectedRevision, current.revision);
    }
    await this.categories.kv.deleteValue(categoryId, current.valueId);
  }
}
