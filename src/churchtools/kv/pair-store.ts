/**
 * Pairs in ChurchTools' data store, many to a value (DESIGN §5).
 *
 * Per connection and domain there is one *head* value and any number of *chunk* values in the
 * category `pairs-<domain>`:
 * - a chunk holds a sorted run of pairs in columns (pair-columns.ts), compressed, and is
 *   never changed after it is written (copy on write);
 * - the head lists the chunks that are current and carries a small *delta* (pairs added,
 *   changed or removed since the chunks were written);
 * - a delta too large for the head is *frozen* into delta values (written once, never changed,
 *   listed by the head, applied in order before the head's own delta), so a save of a few
 *   hundred changes scattered over every chunk writes one or two values and the head instead of
 *   folding every chunk. Heads that list delta values are written as schema 2: an older
 *   version of the extension refuses them instead of reading the pairs without their deltas.
 *
 * A save that changes a few pairs rewrites only the head (read + 1 write). When the delta grows
 * past its limit it is frozen (above) or folded; a delta within the last chunk's key range (pairs
 * an import appends) is folded at once. A fold writes the chunks whose content changed anew, the head is
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
 *
 * Saves under the run lock (`{ underLock: true }`): every writer of a connection's pairs holds
 * its run lock (runs, and the pairs page's link/unlink), so while a run holds it nobody else
 * writes them. Such a save starts from the state this instance last loaded or wrote, kept in
 * memory with each chunk's value id and pairs, and writes only the head and the chunks that
 * changed — no category read before it (ChurchTools' data store has no compare-and-set, so the
 * re-read of an unlocked save is a check one request wide anyway; the lock closes that window).
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
  /** Frozen delta values, oldest first; applied to the chunks before `delta`. */
  deltas: z.array(z.number().int()).optional(),
});
type Head = z.infer<typeof headSchema>;

const frozenSchema = z.object({
  kind: z.literal('delta'),
  id: z.string(),
  conn: z.string(),
  gen: z.number().int(),
  n: z.number().int(),
  z: z.string(),
});
type Frozen = z.infer<typeof frozenSchema>;

/** The schema version of pair values that need this version to be read (delta values, heads listing them). */
const FROZEN_SCHEMA = 2;
/** Frozen delta values a head lists at most; the next save that needs one more folds. */
const MAX_FROZEN = 8;

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

const pairValueSchema = z.discriminatedUnion('kind', [headSchema, chunkSchema, frozenSchema]);
const connProbe = z.looseObject({ data: z.looseObject({ conn: z.string() }) });

export interface PairStoreOptions {
  /** Largest compressed delta kept in the head before it is folded into chunks. Default DELTA_LIMIT. */
  readonly deltaLimit?: number;
  /** Largest stored value. Default 10,000, ChurchTools' limit (every value is measured exactly). */
  readonly maxValueLength?: number;
  readonly now?: () => Date;
}

/**
 * Largest compressed delta kept in the head before a save freezes it into delta values: what
 * fits in the head beside a chunk list of a few hundred chunks, so saves on a cadence rewrite
 * only the head for as long as they can. (300 scattered changes take about 8,000–14,000
 * compressed characters with 5–10 fingerprint fields: frozen into one or two values.)
 */
const DELTA_LIMIT = 8_000;

interface NewHead {
  readonly head: Head;
  readonly text: string;
  readonly revision: number;
  readonly updatedAt: string;
}

interface LoadedChunk {
  readonly valueId: number;
  readonly pairs: readonly Pair[];
}

interface State {
  readonly head: Stored<Head> | null;
  readonly chunks: readonly LoadedChunk[];
  /** The head's frozen delta values, oldest first. */
  readonly frozen: readonly { readonly valueId: number; readonly delta: PairDelta }[];
  /** The head's own delta, on top of the chunks and the frozen deltas. */
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
  /** Frozen delta values never change either. */
  private readonly frozenCache = new Map<number, PairDelta>();
  /** The head revision this instance last saw per connection and domain (for stale checks). */
  private readonly seenRevision = new Map<string, number | null>();
  private readonly queues = new Map<string, Promise<unknown>>();
  /** The stored state this instance last read or wrote, per connection and domain. */
  private readonly known = new Map<string, State>();

  constructor(categories: KvCategories, options: PairStoreOptions = {}) {
    this.categories = categories;
    this.options = options;
  }

  load(connectionId: string, domain: Domain): Promise<readonly Pair[]> {
    return this.serialised(connectionId, domain, async () => {
      const state = await this.readState(connectionId, domain);
      const key = `${domain}\u0000${connectionId}`;
      this.seenRevision.set(key, state.head?.revision ?? null);
      this.known.set(key, state);
      return applyDelta(state.chunks, [...state.frozen.map((f) => f.delta), state.delta]);
    });
  }

  /**
   * Saves the whole set, writing only what changed. `underLock`: the caller holds the run lock of
   * this connection and domain (see the module comment), so the state kept in memory is current.
   */
  save(connectionId: string, domain: Domain, pairs: readonly Pair[], options: { readonly underLock?: boolean } = {}): Promise<void> {
    const key = `${domain}\u0000${connectionId}`;
    return this.serialised(connectionId, domain, async () => {
      try {
        await this.saveNow(connectionId, domain, pairs, options.underLock === true);
      } catch (error) {
        // What a failed save left behind is unknown: the next save reads it.
        this.known.delete(key);
        throw error;
      }
    });
  }

  private async saveNow(connectionId: string, domain: Domain, pairs: readonly Pair[], underLock: boolean): Promise<void> {
    const key = `${domain}\u0000${connectionId}`;
    const category = categoryOf(domain);
    const categoryId = await this.categories.id(category);
    const known = underLock ? this.known.get(key) : undefined;
    const state = known ?? (await this.readState(connectionId, domain));
    const stored = state.head?.revision ?? null;
    if (!known && this.seenRevision.has(key) && this.seenRevision.get(key) !== stored) {
      throw new StaleRevisionError(category, connectionId, this.seenRevision.get(key) ?? null, stored);
    }

    const target = new Map<string, Pair>();
    for (const pair of pairs) target.set(pairKey(pair), pair);
    // What the chunks and the frozen deltas say; the head's own delta is the difference to it.
    const base = new Map<string, Pair>();
    for (const chunk of state.chunks) for (const pair of chunk.pairs) base.set(pairKey(pair), pair);
    for (const frozen of state.frozen) applyTo(base, frozen.delta);

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
      this.known.set(key, state);
      return;
    }

    const deltaZ = deltaText === '' ? '' : await deflateToBase64(deltaText);
    const chunkList = state.chunks.map((c): [number, number] => [c.valueId, c.pairs.length]);
    const frozenIds = state.frozen.map((f) => f.valueId);
    if (deltaZ.length <= (this.options.deltaLimit ?? DELTA_LIMIT)) {
      const head = this.headValue(
        connectionId,
        { chunks: chunkList, retired: [...state.retired], delta: deltaZ, deltaCount: upserts.size + removals.size, deltas: frozenIds },
        revision,
        maxValue,
      );
      if (head !== null) {
        const written = await this.writeHead(categoryId, state.head, head);
        this.seenRevision.set(key, revision);
        this.known.set(key, { ...state, head: written, delta });
        return;
      }
    }

    // Freeze: the delta goes into new delta values, the head lists them and starts an empty delta.
    // Not for a delta within the last chunk's key range (an import appends its pairs after all
    // others): a fold rewrites just that chunk and writes the new pairs in columns, half the size
    // of delta lines, where freezing would write them now as lines and at the next fold again.
    if (state.chunks.length > 0 && state.frozen.length < MAX_FROZEN && !(state.frozen.length === 0 && withinLastChunk(state.chunks, delta))) {
      const lines = deltaText.split('\n');
      const overhead = this.valueOverhead('delta', connectionId, revision);
      const pieces = await packCompressed(lines, (items) => items.join('\n'), maxValue - overhead, `the ${category} of connection ${connectionId}`);
      if (state.frozen.length + pieces.length <= MAX_FROZEN) {
        const updatedAt = this.now();
        const added: { valueId: number; delta: PairDelta }[] = [];
        for (const [order, piece] of pieces.entries()) {
          const value: Frozen = { kind: 'delta', id: `delta:${connectionId}:${revision}:${order}`, conn: connectionId, gen: revision, n: piece.items.length, z: piece.z };
          const created = await this.categories.kv.createValue(categoryId, serialiseEnvelope(value, 1, { updatedAt }, `a ${category} delta`, FROZEN_SCHEMA));
          const part = decodeDelta(piece.items.join('\n'));
          this.frozenCache.set(created.id, part);
          added.push({ valueId: created.id, delta: part });
        }
        const frozen = [...state.frozen, ...added];
        const head = this.headValue(connectionId, { chunks: chunkList, retired: [...state.retired], delta: '', deltaCount: 0, deltas: frozen.map((f) => f.valueId) }, revision, maxValue);
        if (head !== null) {
          await this.checkUnchanged(underLock, categoryId, connectionId, category, stored);
          const written = await this.writeHead(categoryId, state.head, head);
          this.seenRevision.set(key, revision);
          this.known.set(key, { ...state, head: written, frozen, delta: { upserts: new Map(), removals: new Map() } });
          return;
        }
      }
    }

    // Fold: lay the target out over the current chunks and rewrite only those that changed.
    const sorted = [...target.values()].sort(comparePairs);
    const groups = assignToChunks(sorted, state.chunks);
    const kept: { valueId: number; count: number; index: number }[] = [];
    const fresh: { pairs: Pair[]; z: string; index: number; order: number }[] = [];
    const obsolete: number[] = [];
    const chunkMax = maxValue - this.valueOverhead('chunk', connectionId, revision);
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
    // The frozen deltas are in the new chunks now: retired with the chunks they amended.
    const retiredNow = [...obsolete, ...frozenIds];
    const head = this.headValue(connectionId, { chunks: layout.map((c) => [c.valueId, c.count]), retired: retiredNow, delta: '', deltaCount: 0, deltas: [] }, revision, maxValue);
    if (head === null) {
      throw new ValueTooLargeError(`The chunk list of ${category} for connection ${connectionId}`, layout.length * 14, maxValue);
    }
    await this.checkUnchanged(underLock, categoryId, connectionId, category, stored);
    const committed = await this.writeHead(categoryId, state.head, head);
    this.seenRevision.set(key, revision);
    const pairsOf = new Map<number, readonly Pair[]>(state.chunks.map((c) => [c.valueId, c.pairs]));
    for (const piece of written) pairsOf.set(piece.valueId, this.chunkCache.get(piece.valueId) ?? []);
    this.known.set(key, {
      head: committed,
      chunks: layout.map((c) => ({ valueId: c.valueId, pairs: pairsOf.get(c.valueId) ?? [] })),
      frozen: [],
      delta: { upserts: new Map(), removals: new Map() },
      // What this commit retired, and orphans young enough to be left alone below.
      retired: retiredNow,
      unreferenced: state.unreferenced.filter((u) => u.gen >= revision),
    });

    // After the commit: delete what an earlier fold retired, and orphans of older generations
    // (failed saves). Newer or same-generation orphans may belong to a save in progress elsewhere.
    const garbage = [...state.retired, ...state.unreferenced.filter((u) => u.gen < revision).map((u) => u.valueId)];
    for (const valueId of garbage) {
      this.chunkCache.delete(valueId);
      this.frozenCache.delete(valueId);
      // Best effort: a value left behind is ignored by readers and collected next time.
      await this.categories.kv.deleteValue(categoryId, valueId).catch(() => undefined);
    }
  }

  /**
   * Values were written before the head (chunks, delta values), which took a while: make sure
   * nobody committed in the meantime. Under the run lock nobody else writes.
   */
  private async checkUnchanged(underLock: boolean, categoryId: number, connectionId: string, category: string, stored: number | null): Promise<void> {
    if (underLock) return;
    const now = await this.headRevision(categoryId, connectionId);
    if (now !== stored) throw new StaleRevisionError(category, connectionId, stored, now);
  }

  /** The current head revision of a connection, from a fresh category read. */
  private async headRevision(categoryId: number, connectionId: string): Promise<number | null> {
    let best: { revision: number; valueId: number } | null = null;
    for (const value of await this.categories.kv.listValues(categoryId)) {
      if (ownerOf(value) !== connectionId) continue;
      const parsed = parseEnvelope('', value, pairValueSchema, FROZEN_SCHEMA);
      if (!parsed.ok || parsed.stored.data.kind !== 'head') continue;
      const { revision, valueId } = parsed.stored;
      if (!best || revision > best.revision || (revision === best.revision && valueId < best.valueId)) best = { revision, valueId };
    }
    return best?.revision ?? null;
  }

  /** Characters a chunk or delta value needs besides its compressed text (envelope, ids), with slack for larger numbers. */
  private valueOverhead(kind: 'chunk' | 'delta', connectionId: string, revision: number): number {
    const empty: Chunk | Frozen = { kind, id: `${kind}:${connectionId}:${revision}:99999.999`, conn: connectionId, gen: revision, n: 99_999, z: '' };
    return serialiseEnvelope(empty, 1, { updatedAt: this.now() }, 'a pair value', FROZEN_SCHEMA).length + 16;
  }

  /** The head and its text, or null if it would not fit in a value. */
  private headValue(
    connectionId: string,
    content: Pick<Head, 'chunks' | 'retired' | 'delta' | 'deltaCount' | 'deltas'>,
    revision: number,
    maxValue: number,
  ): NewHead | null {
    const { deltas, ...rest } = content;
    const head: Head = { kind: 'head', id: `head:${connectionId}`, conn: connectionId, ...rest, ...(deltas && deltas.length > 0 ? { deltas } : {}) };
    const updatedAt = this.now();
    try {
      const text = serialiseEnvelope(head, revision, { updatedAt }, 'a pair head', head.deltas ? FROZEN_SCHEMA : undefined);
      return text.length <= maxValue ? { head, text, revision, updatedAt } : null;
    } catch (error) {
      if (error instanceof ValueTooLargeError) return null;
      throw error;
    }
  }

  /** Writes the head (in place, or as a new value for a first save) and returns it as stored. */
  private async writeHead(categoryId: number, current: Stored<Head> | null, next: NewHead): Promise<Stored<Head>> {
    let valueId: number;
    if (current) {
      await this.categories.kv.updateValue(categoryId, current.valueId, next.text);
      valueId = current.valueId;
    } else {
      valueId = (await this.categories.kv.createValue(categoryId, next.text)).id;
    }
    return { valueId, revision: next.revision, updatedAt: next.updatedAt, data: next.head };
  }

  private async readState(connectionId: string, domain: Domain): Promise<State> {
    const category = categoryOf(domain);
    // A simulation loads pairs too and must not write: a missing category simply holds no pairs.
    const categoryId = await this.categories.existingId(category);
    const values = categoryId === null ? [] : await this.categories.kv.listValues(categoryId);
    const problems: KvProblem[] = [];
    const heads: Stored<Head>[] = [];
    const chunks = new Map<number, Stored<Chunk>>();
    const deltas = new Map<number, Stored<Frozen>>();
    for (const value of values) {
      const conn = ownerOf(value);
      if (conn !== null && conn !== connectionId) continue;
      const parsed = parseEnvelope(category, value, pairValueSchema, FROZEN_SCHEMA);
      if (!parsed.ok) {
        // A broken value that may be ours could be the head or a chunk: reading on would
        // silently lose pairs, so stop and report.
        problems.push(parsed.problem);
        continue;
      }
      const data = parsed.stored.data;
      if (data.kind === 'head') heads.push({ ...parsed.stored, data });
      else if (data.kind === 'chunk') chunks.set(value.id, { ...parsed.stored, data });
      else deltas.set(value.id, { ...parsed.stored, data });
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
    const frozen: { valueId: number; delta: PairDelta }[] = [];
    for (const valueId of head?.data.deltas ?? []) {
      referenced.add(valueId);
      const value = deltas.get(valueId);
      if (!value) {
        throw new CorruptValueError([{ category, valueId, reason: `listed by the pair head ${head?.valueId} but missing` }], `Pairs of connection ${connectionId}`);
      }
      frozen.push({ valueId, delta: await this.decodeFrozen(category, value) });
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
    const amending = [...chunks.values(), ...deltas.values()];
    const retired = amending.map((v) => v.valueId).filter((id) => retiredIds.has(id) && !referenced.has(id));
    const unreferenced = amending
      .filter((c) => !referenced.has(c.valueId) && !retiredIds.has(c.valueId))
      .map((c) => ({ valueId: c.valueId, gen: c.data.gen }));
    // Superseded heads (from concurrent first saves) are garbage of generation 0.
    for (const extra of heads.slice(1)) unreferenced.push({ valueId: extra.valueId, gen: 0 });
    return { head, chunks: loaded, frozen, delta, unreferenced, retired };
  }

  private async decodeFrozen(category: string, value: Stored<Frozen>): Promise<PairDelta> {
    const cached = this.frozenCache.get(value.valueId);
    if (cached) return cached;
    let delta: PairDelta;
    try {
      delta = decodeDelta(await inflateFromBase64(value.data.z));
    } catch (error) {
      throw new CorruptValueError([{ category, valueId: value.valueId, reason: `unreadable delta value: ${messageOf(error)}` }], 'Pairs');
    }
    if (delta.upserts.size + delta.removals.size !== value.data.n) {
      throw new CorruptValueError([{ category, valueId: value.valueId, reason: `holds ${delta.upserts.size + delta.removals.size} changes, expected ${value.data.n}` }], 'Pairs');
    }
    this.frozenCache.set(value.valueId, delta);
    return delta;
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

function applyDelta(chunks: readonly LoadedChunk[], deltas: readonly PairDelta[]): Pair[] {
  const all = new Map<string, Pair>();
  for (const chunk of chunks) for (const pair of chunk.pairs) all.set(pairKey(pair), pair);
  for (const delta of deltas) applyTo(all, delta);
  return [...all.values()].sort(comparePairs);
}

function applyTo(pairs: Map<string, Pair>, delta: PairDelta): void {
  for (const key of delta.removals.keys()) pairs.delete(key);
  for (const [key, pair] of delta.upserts) pairs.set(key, pair);
}

/** Whether every change of the delta falls into the last chunk's key range (a fold would rewrite that chunk only). */
function withinLastChunk(chunks: readonly LoadedChunk[], delta: PairDelta): boolean {
  const first = chunks[chunks.length - 1]?.pairs[0];
  if (!first) return false;
  for (const pair of delta.upserts.values()) if (comparePairs(pair, first) < 0) return false;
  for (const pair of delta.removals.values()) if (comparePairs(pair, first) < 0) return false;
  return true;
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
