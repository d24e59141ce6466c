/**
 * Column layout for a part of an execution's log, before compression (log parts of schema 2).
 * Entries of one log are mostly alike — the same action, message and fields, ids counting up —
 * so storing them column by column lets deflate remove nearly everything but the values
 * themselves: a 10,000-person import log and a 30,000-link log take about a quarter of the
 * characters the array of entry objects took (figures in docs/reliability.md).
 *
 *   v: 2
 *   s: seq as differences to the previous one; `[first]` alone when they count up by one
 *      (S instead: the seqs themselves, when one is no safe integer)
 *   t: the distinct [action, type, system, level, state] tuples;  k: tuple index per entry
 *   c, o: ChurchTools and Optigem ids, plain integers as differences to the previous integer
 *         id of their column, anything else as the string itself, null as null
 *   l: labels: the string, or its pieces with change indexes in place of the new values they
 *      repeat (`"Müller, Anna"` with first and last name created is `[1, ", ", 0]`)
 *   d: the distinct changed fields;  f: the distinct lists of them (indexes into d)
 *   g: field-list index per entry;  p, q: per field of d, its old and new values in entry order
 *   m: the distinct message keys;  n: [key index, args] per entry (args 0 when there are none)
 *   e: [entry index, key index, args] per entry with an error
 *
 * Lossless: decoding gives entries equal to those encoded (tests/churchtools/log-store.test.ts);
 * anything the layout cannot express compactly (a label repeating no value, an id that is no
 * plain integer) is kept as it is.
 */
import { z } from 'zod';
import type { EntryAction, FieldChange, FieldValue, LogEntry, LogLevel, Message, OperationType, SystemId } from '../../sync/model.ts';
import { fieldValueSchema } from './schemas.ts';

export const LOG_COLUMNS_VERSION = 2;

const CANONICAL_INT = /^(0|[1-9]\d{0,14})$/;
/** A value shorter than this is not worth a reference in a label (and would match by chance). */
const MIN_LABEL_PIECE = 2;

type Kind = readonly [EntryAction, OperationType, SystemId | 'both', LogLevel, LogEntry['state']];
type Args = NonNullable<Message['args']>;

const argsSchema = z.record(z.string(), z.union([z.string(), z.number()]));
const idColumn = z.array(z.union([z.number().int(), z.string(), z.null()]));
const columnsSchema = z.object({
  v: z.literal(LOG_COLUMNS_VERSION),
  s: z.array(z.number().int()),
  S: z.array(z.number()).optional(),
  t: z.array(z.tuple([z.string(), z.string(), z.string(), z.string(), z.string()])),
  k: z.array(z.number().int().nonnegative()),
  c: idColumn,
  o: idColumn,
  l: z.array(z.union([z.string(), z.array(z.union([z.string(), z.number().int().nonnegative()]))])),
  d: z.array(z.string()),
  f: z.array(z.array(z.number().int().nonnegative())),
  g: z.array(z.number().int().nonnegative()),
  p: z.array(z.array(fieldValueSchema)),
  q: z.array(z.array(fieldValueSchema)),
  m: z.array(z.string()),
  n: z.array(z.tuple([z.number().int().nonnegative(), z.union([z.literal(0), argsSchema])])),
  e: z.array(z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative(), z.union([z.literal(0), argsSchema])])),
});
type Columns = z.infer<typeof columnsSchema>;

/** Index of `key` in `table`, adding it on first sight. */
function indexer<T>(table: T[], keyOf: (item: T) => string): (item: T) => number {
  const seen = new Map<string, number>();
  return (item) => {
    const key = keyOf(item);
    let index = seen.get(key);
    if (index === undefined) {
      index = table.length;
      table.push(item);
      seen.set(key, index);
    }
    return index;
  };
}

function encodeIdColumn(ids: readonly (string | null)[]): (number | string | null)[] {
  let previous = 0;
  return ids.map((id) => {
    if (id === null || !CANONICAL_INT.test(id)) return id;
    const n = Number(id);
    const d = n - previous;
    previous = n;
    return d;
  });
}

function decodeIdColumn(column: readonly (number | string | null)[]): (string | null)[] {
  let previous = 0;
  return column.map((item) => {
    if (typeof item !== 'number') return item;
    previous += item;
    return String(previous);
  });
}

/** The label as pieces referring to the changes' new values, or the label itself when that does not pay. */
function encodeLabel(label: string, changes: readonly FieldChange[]): string | (string | number)[] {
  let pieces: (string | number)[] = [label];
  changes.forEach((change, index) => {
    const value = change.newValue;
    if (typeof value !== 'string' || value.length < MIN_LABEL_PIECE) return;
    const at = pieces.findIndex((piece) => typeof piece === 'string' && piece.includes(value));
    if (at < 0) return;
    const piece = pieces[at] as string;
    const start = piece.indexOf(value);
    const split = [piece.slice(0, start), index, piece.slice(start + value.length)].filter((p) => p !== '');
    pieces = [...pieces.slice(0, at), ...split, ...pieces.slice(at + 1)];
  });
  if (pieces.length === 1 && pieces[0] === label) return label;
  return decodeLabel(pieces, changes) === label ? pieces : label;
}

function decodeLabel(label: string | readonly (string | number)[], changes: readonly FieldChange[]): string {
  if (typeof label === 'string') return label;
  return label
    .map((piece) => {
      if (typeof piece === 'string') return piece;
      const value = changes[piece]?.newValue;
      if (typeof value !== 'string') throw new Error(`label refers to change ${piece}, which has no text`);
      return value;
    })
    .join('');
}

export function encodeLogColumns(entries: readonly LogEntry[]): string {
  const t: Kind[] = [];
  const d: string[] = [];
  const f: number[][] = [];
  const m: string[] = [];
  const kind = indexer(t, (k) => k.join('\u0000'));
  const field = indexer(d, (name) => name);
  const fields = indexer(f, (list) => list.join(','));
  const key = indexer(m, (k) => k);
  const p: FieldValue[][] = [];
  const q: FieldValue[][] = [];
  const s: number[] = [];
  const e: Columns['e'] = [];
  let previousSeq = 0;
  let counting = true;
  const columns = {
    k: [] as number[],
    l: [] as (string | (string | number)[])[],
    g: [] as number[],
    n: [] as Columns['n'],
  };
  entries.forEach((entry, index) => {
    const d = entry.seq - previousSeq;
    if (index > 0 && d !== 1) counting = false;
    s.push(index === 0 ? entry.seq : d);
    previousSeq = entry.seq;
    columns.k.push(kind([entry.action, entry.type, entry.system, entry.level, entry.state]));
    const indexes = entry.changes.map((c) => field(c.field));
    columns.g.push(fields(indexes));
    entry.changes.forEach((change, i) => {
      const at = indexes[i] as number;
      (p[at] ??= []).push(change.oldValue);
      (q[at] ??= []).push(change.newValue);
    });
    columns.l.push(encodeLabel(entry.label, entry.changes));
    columns.n.push([key(entry.message.key), entry.message.args ?? 0]);
    if (entry.error) e.push([index, key(entry.error.key), entry.error.args ?? 0]);
  });
  // Not typed as Columns: list values are read-only here and plain arrays once parsed.
  const integers = entries.every((entry) => Number.isSafeInteger(entry.seq));
  const out = {
    v: LOG_COLUMNS_VERSION,
    ...(integers ? { s: counting ? s.slice(0, 1) : s } : { s: [], S: entries.map((entry) => entry.seq) }),
    t: t.map((k) => [...k]),
    k: columns.k,
    c: encodeIdColumn(entries.map((x) => x.ctId)),
    o: encodeIdColumn(entries.map((x) => x.ogId)),
    l: columns.l,
    d,
    f,
    g: columns.g,
    p,
    q,
    m,
    n: columns.n,
    e,
  };
  return JSON.stringify(out);
}

/** Whether inflated part text is in this layout (older parts are a JSON array of entries). */
export function isLogColumns(json: unknown): boolean {
  return typeof json === 'object' && json !== null && !Array.isArray(json) && (json as { v?: unknown }).v === LOG_COLUMNS_VERSION;
}

/**
 * Entries from parsed column JSON. Throws when the columns do not fit together; the result is
 * still to be validated as entries (log-store.ts does).
 */
export function decodeLogColumns(json: unknown): unknown[] {
  const c = columnsSchema.parse(json);
  const count = c.k.length;
  for (const [name, column] of [['c', c.c], ['o', c.o], ['l', c.l], ['g', c.g], ['n', c.n]] as const) {
    if (column.length !== count) throw new Error(`log column ${name}: ${column.length} items, expected ${count}`);
  }
  if (c.S ? c.S.length !== count : c.s.length !== count && !(c.s.length === 1 && count > 0)) {
    throw new Error(`log column s: ${(c.S ?? c.s).length} items, expected ${count}`);
  }
  const ct = decodeIdColumn(c.c);
  const og = decodeIdColumn(c.o);
  const position: number[] = c.d.map(() => 0);
  const errors = new Map(c.e.map(([index, key, args]) => [index, { key, args }]));
  const message = (keyIndex: number, args: Args | 0): Message => {
    const text = c.m[keyIndex];
    if (text === undefined) throw new Error(`log message key ${keyIndex} is missing`);
    return args === 0 ? { key: text } : { key: text, args };
  };
  let seq = 0;
  const entries: unknown[] = [];
  for (let i = 0; i < count; i++) {
    if (c.S) seq = c.S[i] as number;
    else seq = i === 0 ? (c.s[0] as number) : seq + (c.s.length === 1 ? 1 : (c.s[i] as number));
    const kind = c.t[c.k[i] as number];
    const fieldList = c.f[c.g[i] as number];
    if (!kind || !fieldList) throw new Error(`log entry ${i} refers to a missing kind or field list`);
    const changes: FieldChange[] = fieldList.map((index) => {
      const field = c.d[index];
      const at = position[index];
      const oldValues = c.p[index];
      const newValues = c.q[index];
      if (field === undefined || at === undefined || !oldValues || !newValues || at >= oldValues.length || at >= newValues.length) {
        throw new Error(`log column of field ${field ?? index} is too short`);
      }
      position[index] = at + 1;
      return { field, oldValue: oldValues[at] as FieldValue, newValue: newValues[at] as FieldValue };
    });
    const [keyIndex, args] = c.n[i] as Columns['n'][number];
    const error = errors.get(i);
    const [action, type, system, level, state] = kind;
    entries.push({
      seq,
      action,
      type,
      system,
      ctId: ct[i] ?? null,
      ogId: og[i] ?? null,
      label: decodeLabel(c.l[i] as Columns['l'][number], changes),
      changes,
      message: message(keyIndex, args),
      level,
      state,
      ...(error ? { error: message(error.key, error.args) } : {}),
    });
  }
  return entries;
}
