/**
 * Log entries of executions in the `logs` category, many entries to a value: each value is one
 * compressed *part* of one execution's log, written once and never changed. Parts are written in
 * the column layout of log-columns.ts as schema 2 (an older version of the extension says
 * "written by a newer version" instead of failing on the content); parts of schema 1, a JSON
 * array of entries, stay readable. A run streams
 * entries into a LogWriter, which writes a part whenever one is full, and the rest on flush().
 * Reading an execution's log is one category read.
 */
import { z } from 'zod';
import type { LogEntry } from '../../sync/model.ts';
import { MAX_VALUE_LENGTH } from './backend.ts';
import type { KvCategories } from './categories.ts';
import { inflateFromBase64 } from './compression.ts';
import { decodeLogColumns, encodeLogColumns, isLogColumns, LOG_COLUMNS_VERSION } from './log-columns.ts';
import { parseEnvelope, serialiseEnvelope } from './documents.ts';
import type { KvProblem } from './errors.ts';
import { packCompressed } from './pack.ts';
import { logEntrySchema } from './schemas.ts';

const CATEGORY = 'logs';

const logPartSchema = z.object({
  kind: z.literal('logs'),
  id: z.string(),
  exec: z.string(),
  part: z.number().int(),
  n: z.number().int(),
  z: z.string(),
});
type LogPart = z.infer<typeof logPartSchema>;

const execProbe = z.looseObject({ data: z.looseObject({ exec: z.string() }) });

export interface LogRead {
  readonly entries: LogEntry[];
  /** Parts that could not be read; their entries are missing from `entries`. */
  readonly problems: KvProblem[];
}

export interface LogStoreOptions {
  readonly now?: () => Date;
  /** Largest stored value, default ChurchTools' 10,000 (every part is measured exactly). */
  readonly maxValueLength?: number;
}

export class LogRepository {
  private readonly categories: KvCategories;
  private readonly options: LogStoreOptions;

  constructor(categories: KvCategories, options: LogStoreOptions = {}) {
    this.categories = categories;
    this.options = options;
  }

  /**
   * A writer for a new execution's log. Parts are numbered from `firstPart`; `beforeWrite` runs
   * before the first part is written (the run stores its execution first, so no log part is
   * ever without its execution).
   */
  writer(executionId: string, firstPart = 0, beforeWrite?: () => Promise<void>): LogWriter {
    return new LogWriter(this, executionId, firstPart, beforeWrite);
  }

  async read(executionId: string): Promise<LogRead> {
    const categoryId = await this.categories.id(CATEGORY);
    const values = await this.categories.kv.listValues(categoryId);
    const problems: KvProblem[] = [];
    const parts: { part: number; entries: LogEntry[] }[] = [];
    for (const value of values) {
      const exec = probeExec(value.value);
      if (exec !== null && exec !== executionId) continue;
      const parsed = parseEnvelope(CATEGORY, value, logPartSchema, LOG_COLUMNS_VERSION);
      if (!parsed.ok) {
        // Unattributable broken values are reported for every execution: they may be ours.
        problems.push(parsed.problem);
        continue;
      }
      try {
        const json: unknown = JSON.parse(await inflateFromBase64(parsed.stored.data.z));
        const entries = z.array(logEntrySchema).parse(isLogColumns(json) ? decodeLogColumns(json) : json);
        if (entries.length !== parsed.stored.data.n) throw new Error(`holds ${entries.length} entries, expected ${parsed.stored.data.n}`);
        parts.push({ part: parsed.stored.data.part, entries });
      } catch (error) {
        problems.push({ category: CATEGORY, valueId: value.id, reason: `unreadable log part: ${error instanceof Error ? error.message.slice(0, 200) : String(error)}` });
      }
    }
    parts.sort((a, b) => a.part - b.part);
    const entries = parts.flatMap((p) => p.entries).sort((a, b) => a.seq - b.seq);
    return { entries, problems };
  }

  /** Deletes every readable part of an execution's log; unreadable values are left for a person to look at. */
  async remove(executionId: string): Promise<void> {
    const categoryId = await this.categories.id(CATEGORY);
    for (const value of await this.categories.kv.listValues(categoryId)) {
      if (probeExec(value.value) !== executionId) continue;
      if (!parseEnvelope(CATEGORY, value, logPartSchema, LOG_COLUMNS_VERSION).ok) continue;
      await this.categories.kv.deleteValue(categoryId, value.id);
    }
  }

  /** @internal Used by LogWriter: compresses entries into parts and writes them. Returns the parts written. */
  async writeParts(executionId: string, entries: readonly LogEntry[], firstPart: number, keepLast: boolean): Promise<{ written: number; rest: LogEntry[] }> {
    const maxValue = this.options.maxValueLength ?? MAX_VALUE_LENGTH;
    const updatedAt = (this.options.now?.() ?? new Date()).toISOString();
    // What a part needs besides its compressed text, with room for larger part numbers and counts.
    const overhead = serialiseEnvelope({ kind: 'logs', id: `log:${executionId}:${firstPart + 99_999}`, exec: executionId, part: firstPart + 99_999, n: 999_999, z: '' }, 1, { updatedAt }, 'a log part', LOG_COLUMNS_VERSION).length;
    const pieces = await packCompressed(entries, encodeLogColumns, maxValue - overhead, `the log of execution ${executionId}`, 64);
    const toWrite = keepLast ? pieces.slice(0, -1) : pieces;
    if (toWrite.length === 0) return { written: 0, rest: [...entries] };
    const categoryId = await this.categories.id(CATEGORY);
    let part = firstPart;
    for (const piece of toWrite) {
      const data: LogPart = { kind: 'logs', id: `log:${executionId}:${part}`, exec: executionId, part, n: piece.items.length, z: piece.z };
      await this.categories.kv.createValue(categoryId, serialiseEnvelope(data, 1, { updatedAt }, 'a log part', LOG_COLUMNS_VERSION));
      part++;
    }
    return { written: toWrite.length, rest: keepLast ? (pieces.at(-1)?.items ?? []) : [] };
  }
}

/** Buffers entries and writes full parts as they fill; call flush() at the end of the run. */
export class LogWriter {
  private readonly repository: LogRepository;
  readonly executionId: string;
  private nextPart: number;
  private readonly firstPart: number;
  private buffer: LogEntry[] = [];
  private bufferedChars = 0;
  /**
   * Raw JSON size at which the buffer is packed; it doubles while everything still fits one part
   * (column parts hold 20–50× their compressed size in entry JSON).
   */
  private threshold = 80_000;
  private pending: Promise<void> = Promise.resolve();
  private packing = false;

  private readonly beforeWrite: (() => Promise<void>) | undefined;

  constructor(repository: LogRepository, executionId: string, firstPart: number, beforeWrite?: () => Promise<void>) {
    this.repository = repository;
    this.executionId = executionId;
    this.nextPart = firstPart;
    this.firstPart = firstPart;
    this.beforeWrite = beforeWrite;
  }

  /** Parts written so far. */
  get written(): number {
    return this.nextPart - this.firstPart;
  }

  /** Adds an entry; writes full parts when the buffer is large. Matches ProgressSink.entry. */
  add(entry: LogEntry): Promise<void> {
    this.buffer.push(entry);
    this.bufferedChars += JSON.stringify(entry).length;
    if (this.bufferedChars < this.threshold || this.packing) return this.pending.catch(() => undefined);
    this.packing = true;
    return this.enqueue(async () => {
      try {
        const written = await this.write(true);
        // Everything still fitted one part: collect more before trying again.
        if (written === 0) this.threshold *= 2;
      } finally {
        this.packing = false;
      }
    });
  }

  /** Writes everything buffered. */
  flush(): Promise<void> {
    return this.enqueue(async () => {
      await this.write(false);
    });
  }

  private async write(keepLast: boolean): Promise<number> {
    const taken = this.buffer;
    this.buffer = [];
    this.bufferedChars = 0;
    let rest: readonly LogEntry[] = taken;
    try {
      if (taken.length > 0) await this.beforeWrite?.();
      const result = await this.repository.writeParts(this.executionId, taken, this.nextPart, keepLast);
      this.nextPart += result.written;
      rest = result.rest;
      return result.written;
    } finally {
      // Whatever was not written (the last, partial part, or everything after a failure)
      // goes back in front of what arrived meanwhile.
      this.buffer = [...rest, ...this.buffer];
      this.bufferedChars = this.buffer.reduce((sum, e) => sum + JSON.stringify(e).length, 0);
    }
  }

  private enqueue(run: () => Promise<void>): Promise<void> {
    // A failed write is reported to its caller once; later writes still run.
    const next = this.pending.catch(() => undefined).then(run);
    this.pending = next;
    return next;
  }
}

function probeExec(text: string): string | null {
  try {
    const probe = execProbe.safeParse(JSON.parse(text));
    return probe.success ? probe.data.data.exec : null;
  } catch {
    return null;
  }
}
