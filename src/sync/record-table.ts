/**
 * The records of one system as a plan sees them: in id order, each at a position, found by
 * id when asked; and which of them are taken (in a pair). The planners walk records by
 * position, so they ask "taken?" by position, a look into an array; only questions by id go
 * through a map, and that map is built on the first such question (a first sync of bookings
 * asks none). At 150,000 bookings per side, hashing every id for every such question was a
 * good part of a plan.
 */
import type { SyncRecord } from './model.ts';

export class RecordTable {
  private inOrder: readonly SyncRecord[] | null = null;
  private positions: Map<string, number> | null = null;
  /**
   * The ids of `sorted` as numbers, when all are numbers in strictly rising order (integer ids,
   * the usual case [I]): a position is then found by halving, and no map of 30,000 texts is
   * built per side and plan (that map alone was about a tenth of a first person plan).
   */
  private numbers: Float64Array | null | undefined = undefined;
  /** The records by id (the last read with it), for lookups before anything needed the order. */
  private byId: Map<string, SyncRecord> | null = null;

  constructor(private readonly records: readonly SyncRecord[]) {}

  /** Every record, one per id (the last read with it), in id order (sortById); sorted on first use. */
  get sorted(): readonly SyncRecord[] {
    this.inOrder ??= inIdOrder(this.records);
    return this.inOrder;
  }

  /** Where the record with this id is in `sorted`. */
  position(id: string): number | undefined {
    if (this.numbers === undefined) this.numbers = risingNumbers(this.sorted);
    if (this.numbers) return this.halving(this.numbers, id);
    if (!this.positions) {
      const sorted = this.sorted;
      const positions = new Map<string, number>();
      for (let i = 0; i < sorted.length; i++) positions.set((sorted[i] as SyncRecord).id, i);
      this.positions = positions;
    }
    return this.positions.get(id);
  }

  private halving(numbers: Float64Array, id: string): number | undefined {
    const wanted = idNumber(id);
    if (!Number.isFinite(wanted)) return undefined;
    let low = 0;
    let high = numbers.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const number = numbers[middle] as number;
      if (number < wanted) low = middle + 1;
      else if (number > wanted) high = middle - 1;
      // Only the very text counts: "7" does not find "07".
      else return (this.sorted[middle] as SyncRecord).id === id ? middle : undefined;
    }
    return undefined;
  }

  get(id: string): SyncRecord | undefined {
    // A nightly run only looks records up by id: it gets a map by id without sorting anything.
    if (!this.positions && !this.inOrder) {
      if (!this.byId) {
        const byId = new Map<string, SyncRecord>();
        for (let i = 0; i < this.records.length; i++) byId.set((this.records[i] as SyncRecord).id, this.records[i] as SyncRecord);
        this.byId = byId;
      }
      return this.byId.get(id);
    }
    const position = this.position(id);
    return position === undefined ? undefined : this.sorted[position];
  }

  /** Whether `position` holds the record with this id (positions are only trusted when it does). */
  holds(position: number | undefined, id: string): position is number {
    return position !== undefined && this.sorted[position]?.id === id;
  }
}

/**
 * One record per id, in id order. Read records rarely share an id; when none do, they are
 * sorted as they are. When some do, the last one read counts, at the place of the first (what
 * a map by id holds), and so does a list whose ids mix numbers and other text: its order is
 * not a total one, and where equal ids end up after sorting is not certain.
 */
function inIdOrder(records: readonly SyncRecord[]): readonly SyncRecord[] {
  const { sorted, total } = sortByIdReporting(records, (record) => record.id);
  if (total) {
    let unique = true;
    for (let i = 1; i < sorted.length && unique; i++) unique = (sorted[i - 1] as SyncRecord).id !== (sorted[i] as SyncRecord).id;
    if (unique) return sorted;
  }
  const byId = new Map<string, SyncRecord>();
  for (const record of records) byId.set(record.id, record);
  return sortById([...byId.values()], (record) => record.id);
}

/** An id as the id order compares it: the empty text is no number. */
function idNumber(text: string): number {
  return text === '' ? Number.NaN : Number(text);
}

/** The ids as numbers, if every one is a number and each is above the one before; otherwise null. */
function risingNumbers(sorted: readonly SyncRecord[]): Float64Array | null {
  const numbers = new Float64Array(sorted.length);
  let previous = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < sorted.length; i++) {
    const number = idNumber((sorted[i] as SyncRecord).id);
    if (!Number.isFinite(number) || number <= previous) return null;
    numbers[i] = number;
    previous = number;
  }
  return numbers;
}

/**
 * Which records are in a pair: those of the existing pairs and those the plan pairs. Asked
 * by position (with the id, which must be the record's at that position) it answers from an
 * array; asked by id only, through the table's map.
 */
export class Taken {
  private flags: Uint8Array | null = null;
  /** Taken ids that name no record of the table (added by id only). */
  private others: Set<string> | null = null;

  constructor(
    private readonly table: RecordTable,
    /** The existing pairs by this system's id. */
    private readonly paired: ReadonlyMap<string, unknown>,
  ) {}

  /** Built on first use: a nightly run that pairs nothing never asks. */
  private marks(): Uint8Array {
    if (this.flags) return this.flags;
    const flags = new Uint8Array(this.table.sorted.length);
    for (const id of this.paired.keys()) {
      const position = this.table.position(id);
      if (position !== undefined) flags[position] = 1;
    }
    this.flags = flags;
    return flags;
  }

  has(id: string, position?: number): boolean {
    const flags = this.marks();
    const at = this.table.holds(position, id) ? position : this.table.position(id);
    if (at !== undefined) return flags[at] === 1;
    return this.paired.has(id) || this.others?.has(id) === true;
  }

  add(id: string, position?: number): void {
    const flags = this.marks();
    const at = this.table.holds(position, id) ? position : this.table.position(id);
    if (at !== undefined) flags[at] = 1;
    else (this.others ??= new Set()).add(id);
  }
}

/**
 * Numeric ids in numeric order, others lexically: "2" before "10". Records usually arrive in
 * id order already; that is checked first, and only an unsorted list is sorted.
 */
export function sortById<T>(items: readonly T[], id: (item: T) => string): T[] {
  return sortByIdReporting(items, id).sorted;
}

/** sortById, and whether its order was a total one: ids all numbers, or none a number. */
function sortByIdReporting<T>(items: readonly T[], id: (item: T) => string): { sorted: T[]; total: boolean } {
  const count = items.length;
  const texts: string[] = [];
  const numbers = new Float64Array(count);
  let finite = 0;
  for (let i = 0; i < count; i++) {
    const text = id(items[i] as T);
    texts.push(text);
    const number = idNumber(text);
    numbers[i] = number;
    if (Number.isFinite(number)) finite++;
  }
  const total = finite === 0 || finite === count;
  const compare = (a: number, b: number): number => {
    const x = numbers[a] as number;
    const y = numbers[b] as number;
    if (Number.isFinite(x) && Number.isFinite(y) && x !== y) return x - y;
    const left = texts[a] as string;
    const right = texts[b] as string;
    return left < right ? -1 : left > right ? 1 : 0;
  };
  let sorted = true;
  for (let i = 1; i < count && sorted; i++) sorted = compare(i - 1, i) <= 0;
  // A stable sort leaves a list whose neighbours are all in order as it is.
  if (sorted) return { sorted: items.slice(), total };
  const order: number[] = [];
  for (let i = 0; i < count; i++) order.push(i);
  order.sort(compare);
  return { sorted: order.map((index) => items[index] as T), total };
}
