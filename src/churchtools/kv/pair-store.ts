/**
 * Pairs in ChurchTools' data store, many to a value (DESIGN §5).
 *
 * Per connection and domain there is one *head* value and any number of *chunk* values in the
 * category `pairs-<domain>`:
 * - a chunk holds a sorted run of pairs in columns (pair-columns.ts), compressed, and is
 *   never changed after it is written (copy on write);
 * - the head lists the chunks that are current and carries a small *delta* (pairs added,
 *   changed or removed since the chunks were written).
 *
 * A save that changes a few pairs rewrites only the head (read + 1 write). When the delta grows
 * past its limit it is folded: chunks whose content changed are written anew, the head is
 * re-read (someone else may have saved meanwhile), then the head switches to the new chunks
 * (the commit point). Replaced chunks are only *retired* by that commit and deleted by the next
 * fold, so a concurrent reader or saver that still refers to them never finds them gone. A save
 * that dies half-way leaves the previous head and its chunks intact; its orphans are collected
 * by a later fold. Reading all pairs is one category read (plus the category lookup, once per
 * session).
 *
 * Stale saves: `save` refuses (StaleRevisionError) when the head changed since this instance's
 * last `load` or `save` of the same connection and domain. Without a prior load it saves over
 * whatever is there.
 */
import { z } from 'zod';
import type { Domain, Pair } from '../../sync/model.ts';
import type { PairStore } from '../../sync/ports.ts';
import { MAX_VALUE_LENGTH, type KvValue } from './backend.ts';
import type { KvCategories } from './categories.ts';
import { deflateToBase64, inflateFromBase64 } from './compression.ts';
import { parseEnvelope, serialiseEnvelope, type Stored } from './documents.ts';
import { CorruptValueError, StaleRevisionError, ValueTooLargeError, type KvProblem } from './errors.ts';
import { packCompressed } from './pack.ts';
import { decodeChunkColumns, encodeChunkColumns } from './pair-columns.ts';
import { comparePairs, decodeDelta, encodeDelta, pairKey, samePair, type PairDelta } from './pair-codec.ts';

const headSchema = z.object({
  kind: z.literal('head'),
  id: z.string(),
  conn: z.string(),
  /** `[valueId, pairCount]` of every current chunk, in key order. */
  chunks: z.array(z.tuple([z.number().int(), z.number().int()])),
  /** Chunks replaced by this head's fold; deleted by the next fold. */
  retired: z.array(z.number().int()),
  delta: z.string(),
  deltaCount: z.number().int(),
});
type Head = z.infer<typeof headSchema>;

const chunkSchema = z.object({
  kind: z.literal('chunk'),
  id: z.string(),
  conn: z.string(),
  /** The head revision this chunk was written for; lets unreferenced chunks be told apart. */
  gen: z.number().int(),
  n: z.number().int(),
  z: z.string(),
});
type Chunk = z.infer<typeof chunkSchema>;

const pairValueSchema = z.discriminatedUnion('kind', [headSchema, chunkSchema]);
const connProbe = z.looseObject({ data: z.looseObject({ conn: z.string() }) });

export interface PairStoreOptions {
  /** Largest compressed delta kept in the head before it is folded into chunks. Default 3,000 characters. */
  readonly deltaLimit?: number;
  /** Largest stored value. Default 10,000, ChurchTools' limit (every value is measured exactly). */
  readonly maxValueLength?: number;
  readonly now?: () => Date;
}

interface LoadedChunk {
  readonly valueId: number;
  readonly pairs: readonly Pair[];
}

interface State {
  readonly head: Stored<Head> | null;
  readonly chunks: readonly LoadedChunk[];
  readonly delta: PairDelta;
  /** Values of this connection neither listed nor retired by the head, with their generation. */
  readonly unreferenced: readonly { readonly valueId: number; readonly gen: number }[];
  /** Values the head retired that still exist. */
  readonly retired: readonly number[];
}

export class ChurchToolsPairStore implements PairStore {
  private readonly categories: KvCategories;
  private readonly options: PairStoreOptions;
  /** Chunks never change once written, so their decoded pairs are cached by value id. */
  private readonly chunkCache = new Map<number, readonly Pair[]>();
  /** The head revision this instance last saw per connection and domain (for stale checks). */
  private readonly seenRevision = new Map<string, number | null>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(categories: KvCategories, options: PairStoreOptions = {}) {
    this.categories = categories;
    this.options = options;
  }

  load(connectionId: string, domain: Domain): Promise<readonly Pair[]> {
    return this.serialised(connectionId, domain, async () => {
      const state = await this.readState(connectionId, domain);
      this.seenRevision.set(`${domain}\u0000${connectionId}`, state.head?.revision ?? null);
      return applyDelta(state.chunks, state.delta);
    });
  }

  save(connectionId: string, domain: Domain, pairs: readonly Pair[]): Promise<void> {
    return this.serialised(connectionId, domain, () => this.saveNow(connectionId, domain, pairs));
  }

  private async saveNow(connectionId: string, domain: Domain, pairs: readonly Pair[]): Promise<void> {
    const key = `${domain}\u0000${connectionId}`;
    const category = categoryOf(domain);
    const categoryId = await this.categories.id(category);
    const state = await this.readState(connectionId, domain);
    const stored = state.head?.revision ?? null;
    if (this.seenRevision.has(key) && this.seenRevision.get(key) !== stored) {
      throw new StaleRevisionError(category, connectionId, this.seenRevision.get(key) ?? null, stored);
    }

    const target = new Map<string, Pair>();
    for (const pair of pairs) target.set(pairKey(pair), pair);
    const base = new Map<string, Pair>();
    for (const chunk of state.chunks) for (const pair of chunk.pairs) base.set(pairKey(pair), pair);

    const upserts = new Map<string, Pair>();
    const removals = new Map<string, { ct: string; og: string }>();
    for (const [k, pair] of target) {
      const old = base.get(k);
      if (!old || !samePair(old, pair)) upserts.set(k, pair);
    }
    for (const [k, pair] of base) if (!target.has(k)) removals.set(k, { ct: pair.ct, og: pair.og });
    const delta: PairDelta = { upserts, removals };

    const revision = (stored ?? 0) + 1;
    const maxValue = this.options.maxValueLength ?? MAX_VALUE_LENGTH;
    const deltaText = encodeDelta(delta);
    if (state.head && deltaText === encodeDelta(state.delta)) {
      // Nothing changed since the last save.
      this.seenRevision.set(key, stored);
      return;
    }

    const deltaZ = deltaText === '' ? '' : await deflateToBase64(deltaText);
    if (deltaZ.length <= (this.options.deltaLimit ?? 3_000)) {
      const head = this.headValue(
        connectionId,
        { chunks: state.chunks.map((c) => [c.valueId, c.pairs.length]), retired: [...state.retired], delta: deltaZ, deltaCount: upserts.size + removals.size },
        revision,
        maxValue,
      );
      if (head !== null) {
        await this.writeHead(categoryId, state.head, head);
        this.seenRevision.set(key, revision);
        return;
      }
    }

    // Fold: lay the target out over the current chunks and rewrite only those that changed.
    const sorted = [...target.values()].sort(comparePairs);
    const groups = assignToChunks(sorted, state.chunks);
    const kept: { valueId: number; count: number; index: number }[] = [];
    const fresh: { pairs: Pair[]; z: string; index: number; order: number }[] = [];
    const obsolete: number[] = [];
    const chunkMax = maxValue - this.chunkOverhead(connectionId, revision);
    // Consecutive changed chunks are packed together, so a chunk that grew a little spills into
    // its neighbour instead of splitting into a full and a tiny one; a run that would still end
    // in a small piece takes in the next unchanged chunk too.
    let run: { index: number; pairs: Pair[] } | null = null;
    const pack = (pairs: readonly Pair[]) => packCompressed(pairs, encodeChunkColumns, chunkMax, `the ${category} of connection ${connectionId}`);
    const emit = (index: number, pieces: readonly { items: Pair[]; z: string }[]): void => {
      pieces.forEach((piece, order) => fresh.push({ pairs: piece.items, z: piece.z, index, order }));
    };
    for (let i = 0; i < groups.length; i++) {
      const group = groups[i]!;
      const old = state.chunks[i];
      if (old && sameList(old.pairs, group)) {
        if (run) {
          const pieces = await pack(run.pairs);
          if (pieces.length > 0 && pieces[pieces.length - 1]!.z.length < chunkMax / 2) {
            obsolete.push(old.valueId);
            run.pairs.push(...group);
            continue;
          }
          emit(run.index, pieces);
          run = null;
        }
        kept.push({ valueId: old.valueId, count: old.pairs.length, index: i });
        continue;
      }
      if (old) obsolete.push(old.valueId);
      if (run) run.pairs.push(...group);
      else run = { index: i, pairs: [...group] };
    }
    if (run) emit(run.index, await pack(run.pairs));

    const updatedAt = this.now();
    const written: { valueId: number; count: number; index: number; order: number }[] = [];
    for (const piece of fresh) {
      const chunk: Chunk = {
        kind: 'chunk',
        id: `chunk:${connectionId}:${revision}:${piece.index}.${piece.order}`,
        conn: connectionId,
        gen: revision,
        n: piece.pairs.length,
        z: piece.z,
      };
      const text = serialiseEnvelope(chunk, 1, { updatedAt }, `a ${category} chunk`);
      const value = await this.categories.kv.createValue(categoryId, text);
      this.chunkCache.set(value.id, piece.pairs);
      written.push({ valueId: value.id, count: piece.pairs.length, index: piece.index, order: piece.order });
    }

    const layout = [...kept.map((k) => ({ ...k, order: 0 })), ...written].sort((a, b) => a.index - b.index || a.order - b.order);
    const head = this.headValue(connectionId, { chunks: layout.map((c) => [c.valueId, c.count]), retired: obsolete, delta: '', deltaCount: 0 }, revision, maxValue);
    if (head === null) {
      throw new ValueTooLargeError(`The chunk list of ${category} for connection ${connectionId}`, layout.length * 14, maxValue);
    }
    // Writing the chunks took a while: make sure nobody committed in the meantime.
    const now = await this.headRevision(categoryId, connectionId);
    if (now !== stored) throw new StaleRevisionError(category, connectionId, stored, now);
    await this.writeHead(categoryId, state.head, head);
    this.seenRevision.set(key, revision);

    // After the commit: delete what an earlier fold retired, and orphans of older generations
    // (failed saves). Newer or same-generation orphans may belong to a save in progress elsewhere.
    const garbage = [...state.retired, ...state.unreferenced.filter((u) => u.gen < revision).map((u) => u.valueId)];
    for (const valueId of garbage) {
      this.chunkCache.delete(valueId);
      // Best effort: a value left behind is ignored by readers and collected next time.
      await this.categories.kv.deleteValue(categoryId, valueId).catch(() => undefined);
    }
  }

  /** The current head revision of a connection, from a fresh category read. */
  private async headRevision(categoryId: number, connectionId: string): Promise<number | null> {
    let best: { revision: number; valueId: number } | null = null;
    for (const value of await this.categories.kv.listValues(categoryId)) {
      if (ownerOf(value) !== connectionId) continue;
      const parsed = parseEnvelope('', value, pairValueSchema);
      if (!parsed.ok || parsed.stored.data.kind !== 'head') continue;
      const { revision, valueId } = parsed.stored;
      if (!best || revision > best.revision || (revision === best.revision && valueId < best.valueId)) best = { revision, valueId };
    }
    return best?.revision ?? null;
  }

  /** Characters a chunk value needs besides its compressed text (envelope, ids), with slack for larger numbers. */
  private chunkOverhead(connectionId: string, revision: number): number {
    const empty: Chunk = { kind: 'chunk', id: `chunk:${connectionId}:${revision}:99999.999`, conn: connectionId, gen: revision, n: 99_999, z: '' };
    return serialiseEnvelope(empty, 1, { updatedAt: this.now() }, 'a pair chunk').length + 16;
  }

  /** The head's text, or null if it would not fit in a value. */
  private headValue(
    connectionId: string,
    content: Pick<Head, 'chunks' | 'retired' | 'delta' | 'deltaCount'>,
    revision: number,
    maxValue: number,
  ): string | null {
    const head: Head = { kind: 'head', id: `head:${connectionId}`, conn: connectionId, ...content };
    try {
      const text = serialiseEnvelope(head, revision, { updatedAt: this.now() }, 'a pair head');
      return text.length <= maxValue ? text : null;
    } catch (error) {
      if (error instanceof ValueTooLargeError) return null;
      throw error;
    }
  }

  private async writeHead(categoryId: number, current: Stored<Head> | null, text: string): Promise<void> {
    if (current) await this.categories.kv.updateValue(categoryId, current.valueId, text);
    else await this.categories.kv.createValue(categoryId, text);
  }

  private async readState(connectionId: string, domain: Domain): Promise<State> {
    const category = categoryOf(domain);
    // A simulation loads pairs too and must not write: a missing category simply holds no pairs.
    const categoryId = await this.categories.existingId(category);
    const values = categoryId === null ? [] : await this.categories.kv.listValues(categoryId);
    const problems: KvProblem[] = [];
    const heads: Stored<Head>[] = [];
    const chunks = new Map<number, Stored<Chunk>>();
    for (const value of values) {
      const conn = ownerOf(value);
      if (conn !== null && conn !== connectionId) continue;
      const parsed = parseEnvelope(category, value, pairValueSchema);
      if (!parsed.ok) {
        // A broken value that may be ours could be the head or a chunk: reading on would
        // silently lose pairs, so stop and report.
        problems.push(parsed.problem);
        continue;
      }
      const data = parsed.stored.data;
      if (data.kind === 'head') heads.push({ ...parsed.stored, data });
      else chunks.set(value.id, { ...parsed.stored, data });
    }
    if (problems.length > 0) throw new CorruptValueError(problems, `Pairs of connection ${connectionId}`);

    // Two first saves at once leave two heads: the higher revision, then the older value wins.
    heads.sort((a, b) => b.revision - a.revision || a.valueId - b.valueId);
    const head = heads[0] ?? null;
    const loaded: LoadedChunk[] = [];
    const referenced = new Set<number>();
    for (const [valueId, count] of head?.data.chunks ?? []) {
      referenced.add(valueId);
      const chunk = chunks.get(valueId);
      if (!chunk) {
        throw new CorruptValueError([{ category, valueId, reason: `listed by the pair head ${head?.valueId} but missing` }], `Pairs of connection ${connectionId}`);
      }
      loaded.push({ valueId, pairs: await this.decodeChunk(category, chunk, count) });
    }
    let delta: PairDelta = { upserts: new Map(), removals: new Map() };
    if (head && head.data.delta !== '') {
      try {
        delta = decodeDelta(await inflateFromBase64(head.data.delta));
      } catch (error) {
        throw new CorruptValueError([{ category, valueId: head.valueId, reason: `unreadable delta: ${messageOf(error)}` }], `Pairs of connection ${connectionId}`);
      }
    }
    const retiredIds = new Set(head?.data.retired ?? []);
    const retired = [...chunks.keys()].filter((id) => retiredIds.has(id) && !referenced.has(id));
    const unreferenced = [...chunks.values()]
      .filter((c) => !referenced.has(c.valueId) && !retiredIds.has(c.valueId))
      .map((c) => ({ valueId: c.valueId, gen: c.data.gen }));
    // Superseded heads (from concurrent first saves) are garbage of generation 0.
    for (const extra of heads.slice(1)) unreferenced.push({ valueId: extra.valueId, gen: 0 });
    return { head, chunks: loaded, delta, unreferenced, retired };
  }

  private async decodeChunk(category: string, chunk: Stored<Chunk>, count: number): Promise<readonly Pair[]> {
    const cached = this.chunkCache.get(chunk.valueId);
    if (cached) return cached;
    let pairs: Pair[];
    try {
      pairs = decodeChunkColumns(await inflateFromBase64(chunk.data.z));
    } catch (error) {
      throw new CorruptValueError([{ category, valueId: chunk.valueId, reason: `unreadable chunk: ${messageOf(error)}` }], 'Pairs');
    }
    if (pairs.length !== count || pairs.length !== chunk.data.n) {
      throw new CorruptValueError([{ category, valueId: chunk.valueId, reason: `holds ${pairs.length} pairs, expected ${count}` }], 'Pairs');
    }
    this.chunkCache.set(chunk.valueId, pairs);
    return pairs;
  }

  private now(): string {
    return (this.options.now?.() ?? new Date()).toISOString();
  }

  /** One load or save at a time per connection and domain within this instance. */
  private serialised<T>(connectionId: string, domain: Domain, run: () => Promise<T>): Promise<T> {
    const key = `${domain}\u0000${connectionId}`;
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(run);
    this.queues.set(key, next);
    return next;
  }
}

function categoryOf(domain: Domain): 'pairs-person' | 'pairs-transaction' {
  return domain === 'person' ? 'pairs-person' : 'pairs-transaction';
}

/** The connection a value belongs to, if it can be told without trusting the rest of it. */
function ownerOf(value: KvValue): string | null {
  try {
    const probe = connProbe.safeParse(JSON.parse(value.value));
    return probe.success ? probe.data.data.conn : null;
  } catch {
    return null;
  }
}

function applyDelta(chunks: readonly LoadedChunk[], delta: PairDelta): Pair[] {
  const all = new Map<string, Pair>();
  for (const chunk of chunks) for (const pair of chunk.pairs) all.set(pairKey(pair), pair);
  for (const key of delta.removals.keys()) all.delete(key);
  for (const [key, pair] of delta.upserts) all.set(key, pair);
  return [...all.values()].sort(comparePairs);
}

/** Splits sorted pairs along the current chunks' boundaries (each chunk keeps its key range). */
function assignToChunks(sorted: readonly Pair[], chunks: readonly LoadedChunk[]): Pair[][] {
  if (chunks.length === 0) return [sorted.slice()];
  const starts = chunks.map((c) => c.pairs[0] ?? null);
  const groups: Pair[][] = chunks.map(() => []);
  let index = 0;
  for (const pair of sorted) {
    while (index + 1 < chunks.length && starts[index + 1] !== null && comparePairs(pair, starts[index + 1]!) >= 0) index++;
    groups[index]!.push(pair);
  }
  return groups;
}

function sameList(a: readonly Pair[], b: readonly Pair[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!samePair(a[i]!, b[i]!)) return false;
  return true;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
