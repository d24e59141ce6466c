/**
 * In-memory KvBackend for tests of other parts (stores, UI, engine runs). Behaves like the
 * ChurchTools store where it matters: whole-category reads, the 10,000-character limit, ids
 * that only grow, and blind overwrites. Counts calls so tests can assert request budgets.
 */
import { MAX_VALUE_LENGTH, type KvBackend, type KvCategory, type KvValue } from './backend.ts';
import { ValueTooLargeError } from './errors.ts';

export type KvOperation = 'listCategories' | 'createCategory' | 'deleteCategory' | 'listValues' | 'createValue' | 'updateValue' | 'deleteValue';

export class MemoryKv implements KvBackend {
  /** Every call, in order. */
  readonly calls: { op: KvOperation; categoryId?: number; valueId?: number }[] = [];
  private readonly categories = new Map<number, KvCategory>();
  private readonly values = new Map<number, Map<number, string>>();
  private nextId = 1;
  /** When set, the n-th following write (1-based) and all after it fail, to simulate a crash mid-save. */
  private failFromWrite: number | null = null;
  private writesSeen = 0;

  get requestCount(): number {
    return this.calls.length;
  }

  resetCalls(): void {
    this.calls.length = 0;
  }

  /** Makes the `n`-th write from now on (and every later one) throw. */
  failWritesFrom(n: number | null): void {
    this.failFromWrite = n;
    this.writesSeen = 0;
  }

  /** Puts a raw string in place, e.g. a corrupt value for a test. */
  putRaw(categoryId: number, value: string, valueId?: number): number {
    const id = valueId ?? this.nextId++;
    this.category(categoryId).set(id, value);
    return id;
  }

  raw(categoryId: number): KvValue[] {
    return [...this.category(categoryId).entries()].map(([id, value]) => ({ id, value }));
  }

  async listCategories(): Promise<KvCategory[]> {
    this.calls.push({ op: 'listCategories' });
    return [...this.categories.values()];
  }

  async createCategory(shorty: string, name: string, _description: string): Promise<KvCategory> {
    this.calls.push({ op: 'createCategory' });
    this.write();
    const category = { id: this.nextId++, shorty, name };
    this.categories.set(category.id, category);
    this.values.set(category.id, new Map());
    return category;
  }

  async deleteCategory(categoryId: number): Promise<void> {
    this.calls.push({ op: 'deleteCategory', categoryId });
    this.write();
    this.categories.delete(categoryId);
    this.values.delete(categoryId);
  }

  async listValues(categoryId: number): Promise<KvValue[]> {
    this.calls.push({ op: 'listValues', categoryId });
    return this.raw(categoryId);
  }

  async createValue(categoryId: number, value: string): Promise<KvValue> {
    this.calls.push({ op: 'createValue', categoryId });
    this.write();
    checkLength(value);
    const id = this.nextId++;
    this.category(categoryId).set(id, value);
    return { id, value };
  }

  async updateValue(categoryId: number, valueId: number, value: string): Promise<void> {
    this.calls.push({ op: 'updateValue', categoryId, valueId });
    this.write();
    checkLength(value);
    const values = this.category(categoryId);
    if (!values.has(valueId)) throw new Error(`MemoryKv: no value ${valueId} in category ${categoryId}`);
    values.set(valueId, value);
  }

  async deleteValue(categoryId: number, valueId: number): Promise<void> {
    this.calls.push({ op: 'deleteValue', categoryId, valueId });
    this.write();
    this.category(categoryId).delete(valueId);
  }

  private category(categoryId: number): Map<number, string> {
    const values = this.values.get(categoryId);
    if (!values) throw new Error(`MemoryKv: no category ${categoryId}`);
    return values;
  }

  private write(): void {
    if (this.failFromWrite === null) return;
    this.writesSeen++;
    if (this.writesSeen >= this.failFromWrite) throw new Error('MemoryKv: simulated write failure');
  }
}

function checkLength(value: string): void {
  if (value.length > MAX_VALUE_LENGTH) throw new ValueTooLargeError('A data value', value.length, MAX_VALUE_LENGTH);
}
