/**
 * The extension's fixed set of data categories, created on first use. Rights in ChurchTools are
 * granted per category id, so categories are few and fixed (never one per connection or run):
 * an admin grants them once. Creation is de-duplicated within this process by a promise per
 * category, and across browsers by re-listing after a create and keeping the lowest id.
 */
import type { KvBackend } from './backend.ts';

export interface CategoryDefinition {
  readonly name: string;
  readonly description: string;
}

export const CATEGORIES = {
  connections: { name: 'Verbindungen', description: 'Optigem-Verbindungen (Bridge-Adresse, Eigenschaften-Paare)' },
  jobs: { name: 'Aufträge', description: 'Sync-Aufträge: Aktionen, Bedingungen, Eigenschaften' },
  executions: { name: 'Ausführungen', description: 'Simulationen und Ausführungen mit Zählern' },
  logs: { name: 'Protokoll', description: 'Protokolleinträge der Ausführungen, gebündelt' },
  locks: { name: 'Sperren', description: 'Laufsperren je Auftrag' },
  // [I] The extension cannot restrict a category itself: an admin grants `view custom data` on
  // this one to sync administrators only (rights are per category id, ct-extension §4.4).
  secrets: {
    name: 'Zugangsdaten',
    description: 'Bridge-Token. Nur Sync-Administratoren dürfen diese Kategorie sehen.',
  },
  'pairs-person': { name: 'Personen-Paare', description: 'Verknüpfungen ChurchTools ↔ Optigem (Personen), gebündelt' },
  'pairs-transaction': { name: 'Buchungs-Paare', description: 'Verknüpfungen ChurchTools ↔ Optigem (Buchungen), gebündelt' },
  decisions: { name: 'Entscheidungen', description: 'Entscheidungen zu möglichen Doppelungen: verknüpfen oder trotzdem anlegen' },
} as const satisfies Record<string, CategoryDefinition>;

export type CategoryShorty = keyof typeof CATEGORIES;

export class KvCategories {
  readonly kv: KvBackend;
  private readonly definitions: Readonly<Record<string, CategoryDefinition>>;
  private readonly ids = new Map<string, Promise<number>>();
  private listing: Promise<Map<string, number>> | null = null;

  constructor(kv: KvBackend, definitions: Readonly<Record<string, CategoryDefinition>> = CATEGORIES) {
    this.kv = kv;
    this.definitions = definitions;
  }

  /** The category's id, creating the category if it does not exist yet. */
  id(shorty: string): Promise<number> {
    let pending = this.ids.get(shorty);
    if (!pending) {
      pending = this.resolve(shorty);
      this.ids.set(shorty, pending);
      pending.catch(() => this.ids.delete(shorty));
    }
    return pending;
  }

  /**
   * The category's id, or null when it does not exist yet: for reads, which must not create.
   * `recheck: false` trusts the cached listing's "missing" — for categories where reading "none"
   * is the safe side (no decisions on possible duplicates: nothing is linked or created for them).
   */
  async existingId(shorty: string, options: { readonly recheck?: boolean } = {}): Promise<number | null> {
    const cached = this.ids.get(shorty);
    if (cached) return cached;
    // Another tab, the CLI or the nightly runner may have created it since our last listing:
    // a stale "missing" would read as "no pairs" and plan as if nothing were linked.
    const listed = (await this.list(false)).get(shorty);
    const id = listed ?? (options.recheck === false ? undefined : (await this.list(true)).get(shorty)) ?? null;
    if (id !== null) this.ids.set(shorty, Promise.resolve(id));
    return id;
  }

  /** Every defined category with its id, or null where it does not exist yet (for rights checks). */
  async known(): Promise<{ shorty: string; id: number | null }[]> {
    const existing = await this.list(false);
    return Object.keys(this.definitions).map((shorty) => ({ shorty, id: existing.get(shorty) ?? null }));
  }

  /** Forgets cached ids, e.g. after the extension was reinstalled. */
  reset(): void {
    this.ids.clear();
    this.listing = null;
  }

  private async resolve(shorty: string): Promise<number> {
    const definition = this.definitions[shorty];
    if (!definition) throw new Error(`Unknown data category "${shorty}"`);
    const existing = (await this.list(false)).get(shorty);
    if (existing !== undefined) return existing;

    const created = await this.kv.createCategory(shorty, definition.name, definition.description);
    // Another browser may have created the same category at the same moment: all of us keep
    // the lowest id, and whoever made a higher one removes it again (best effort).
    const lowest = (await this.list(true)).get(shorty) ?? created.id;
    if (lowest !== created.id) {
      await this.kv.deleteCategory(created.id).catch(() => undefined);
    }
    return lowest;
  }

  private list(fresh: boolean): Promise<Map<string, number>> {
    if (fresh || !this.listing) {
      const promise = this.kv.listCategories().then((categories) => {
        const byShorty = new Map<string, number>();
        for (const c of categories) {
          const seen = byShorty.get(c.shorty);
          if (seen === undefined || c.id < seen) byShorty.set(c.shorty, c.id);
        }
        return byShorty;
      });
      this.listing = promise;
      promise.catch(() => {
        if (this.listing === promise) this.listing = null;
      });
    }
    return this.listing;
  }
}
