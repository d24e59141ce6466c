/**
 * The admins' decisions on possible duplicates ("link to this candidate" / "create anyway"),
 * per connection and domain, in the `decisions` category. A value holds at most 10,000
 * characters, so a connection's decisions are kept in chunks of CHUNK_SIZE, each a revision-
 * checked document `<connection>:<domain>:<n>`. There are few decisions (one per namesake an
 * admin looked at), so every change rewrites the connection's chunks.
 */
import type { Domain, DuplicateDecision } from '../../sync/model.ts';
import type { DecisionSource } from '../../sync/ports.ts';
import { mergeDecisions } from '../../sync/duplicates.ts';
import type { KvCategories } from './categories.ts';
import { CorruptValueError } from './errors.ts';
import { DocumentCollection, type DocumentOptions, type Stored } from './documents.ts';
import { decisionChunkSchema, type DecisionChunk } from './schemas.ts';

/** About 120 characters per decision: 60 stay well inside one value. */
const CHUNK_SIZE = 60;

export class DecisionStore implements DecisionSource {
  private readonly documents: DocumentCollection<DecisionChunk>;

  constructor(
    private readonly categories: KvCategories,
    options: DocumentOptions = {},
  ) {
    this.documents = new DocumentCollection(categories, 'decisions', decisionChunkSchema, options);
  }

  /** Throws CorruptValueError when a chunk of this connection cannot be read: a lost decision must not read as "undecided". */
  async load(connectionId: string, domain: Domain): Promise<readonly DuplicateDecision[]> {
    return (await this.chunks(connectionId, domain, false)).flatMap((chunk) => chunk.data.decisions);
  }

  /** Adds decisions, replacing earlier ones on the same records. */
  async decide(connectionId: string, domain: Domain, decisions: readonly DuplicateDecision[]): Promise<void> {
    const chunks = await this.chunks(connectionId, domain);
    await this.write(connectionId, domain, chunks, mergeDecisions(chunks.flatMap((chunk) => chunk.data.decisions), decisions));
  }

  /** Forgets the decision on one record, so it needs a decision again. */
  async forget(connectionId: string, domain: Domain, source: DuplicateDecision['source'], sourceId: string): Promise<void> {
    const chunks = await this.chunks(connectionId, domain);
    const all = chunks.flatMap((chunk) => chunk.data.decisions);
    await this.write(connectionId, domain, chunks, all.filter((d) => d.source !== source || d.sourceId !== sourceId));
  }

  private async chunks(connectionId: string, domain: Domain, recheck = true): Promise<Stored<DecisionChunk>[]> {
    const prefix = `${connectionId}:${domain}:`;
    // A simulation reads decisions and must not create the category; before the first decision there is none.
    // Reading, a stale "no decisions" holds back the possible duplicates it would have decided
    // (neither linked nor created): the safe side, so a run does not list the categories again.
    if ((await this.categories.existingId('decisions', { recheck })) === null) return [];
    const { items, problems } = await this.documents.list();
    const broken = problems.filter((p) => p.documentId?.startsWith(prefix) ?? true);
    if (broken.length > 0) throw new CorruptValueError(broken, `decisions/${prefix}*`);
    return items.filter((item) => item.data.id.startsWith(prefix)).sort((a, b) => chunkNumber(a.data.id) - chunkNumber(b.data.id));
  }

  private async write(connectionId: string, domain: Domain, current: readonly Stored<DecisionChunk>[], decisions: readonly DuplicateDecision[]): Promise<void> {
    const byId = new Map(current.map((chunk) => [chunk.data.id, chunk]));
    const wanted = new Set<string>();
    for (let start = 0, n = 0; start < decisions.length; start += CHUNK_SIZE, n++) {
      const id = `${connectionId}:${domain}:${n}`;
      wanted.add(id);
      await this.documents.save({ id, connectionId, domain, decisions: decisions.slice(start, start + CHUNK_SIZE) }, byId.get(id)?.revision ?? null);
    }
    for (const chunk of current) if (!wanted.has(chunk.data.id)) await this.documents.remove(chunk.data.id, chunk.revision);
  }
}

function chunkNumber(id: string): number {
  return Number(id.slice(id.lastIndexOf(':') + 1));
}
