/** Person reads and writes on `Spender` and the category tables. All values are bound parameters. */
import type { Database } from 'better-sqlite3';
import type { Category, PersonData } from '../../../optigem/schemas.ts';
import type { StoredPerson } from '../types.ts';
import { q } from './names.ts';
import type { OptigemNames, PersonColumnField } from './names.ts';
import { dateFromDb, genderFromDb, genderToDb, intFromDb, textFromDb, textToDb } from './values.ts';
import type { GenderCodes } from './values.ts';

type Row = Record<string, unknown>;

const DATE_FIELDS = new Set<PersonColumnField>(['birthday', 'membershipStart', 'membershipEnd']);

export interface PersonQueryOptions {
  names: OptigemNames;
  genderCodes: GenderCodes;
  archiveCategoryId: number;
}

export class SqlitePersons {
  private readonly n: OptigemNames;
  private readonly columns: [PersonColumnField, string | null][];
  private readonly select: string;

  constructor(
    private readonly db: Database,
    private readonly options: PersonQueryOptions,
  ) {
    this.n = options.names;
    this.columns = Object.entries(this.n.persons.columns) as [PersonColumnField, string | null][];
    const p = this.n.persons;
    const present = this.columns.filter(([, column]) => column !== null).map(([field, column]) => `${q(column as string)} AS ${q(field)}`);
    this.select = `SELECT ${q(p.nr)} AS nr${present.length > 0 ? ', ' : ''}${present.join(', ')} FROM ${q(p.table)}`;
  }

  list(): StoredPerson[] {
    const rows = this.db.prepare(`${this.select} WHERE ${q(this.n.persons.nr)} <> 0 ORDER BY ${q(this.n.persons.nr)}`).all() as Row[];
    const categories = this.categoryMap();
    return rows.map((row) => this.toPerson(row, categories.get(intFromDb(row['nr'])) ?? []));
  }

  get(nr: number): StoredPerson | null {
    if (nr === 0) return null;
    const row = this.db.prepare(`${this.select} WHERE ${q(this.n.persons.nr)} = ?`).get(nr) as Row | undefined;
    if (!row) return null;
    const a = this.n.categoryAssignments;
    const ids = (
      this.db.prepare(`SELECT ${q(a.categoryId)} AS id FROM ${q(a.table)} WHERE ${q(a.personNr)} = ?`).all(nr) as Row[]
    ).map((r) => intFromDb(r['id']));
    return this.toPerson(row, ids);
  }

  donor0Exists(): boolean {
    const p = this.n.persons;
    return this.db.prepare(`SELECT 1 FROM ${q(p.table)} WHERE ${q(p.nr)} = 0`).get() !== undefined;
  }

  create(data: PersonData): number {
    const p = this.n.persons;
    const next = this.db.prepare(`SELECT COALESCE(MAX(${q(p.nr)}), 0) + 1 AS nr FROM ${q(p.table)}`).get() as Row;
    const nr = intFromDb(next['nr']);
    const assignments = this.writableValues(data);
    const columns = [q(p.nr), ...assignments.map(([column]) => q(column))];
    const values = [nr, ...assignments.map(([, value]) => value)];
    this.db.prepare(`INSERT INTO ${q(p.table)} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`).run(...values);
    this.replaceCategories(nr, data.categoryIds);
    return nr;
  }

  update(nr: number, patch: Partial<PersonData>): void {
    const p = this.n.persons;
    const assignments = this.writableValues(patch);
    if (assignments.length > 0) {
      const set = assignments.map(([column]) => `${q(column)} = ?`).join(', ');
      this.db.prepare(`UPDATE ${q(p.table)} SET ${set} WHERE ${q(p.nr)} = ?`).run(...assignments.map(([, v]) => v), nr);
    }
    if (patch.categoryIds !== undefined) this.replaceCategories(nr, patch.categoryIds);
  }

  setArchived(nr: number, archived: boolean): void {
    const a = this.n.categoryAssignments;
    if (archived) {
      this.db
        .prepare(`INSERT OR IGNORE INTO ${q(a.table)} (${q(a.personNr)}, ${q(a.categoryId)}) VALUES (?, ?)`)
        .run(nr, this.options.archiveCategoryId);
    } else {
      this.db
        .prepare(`DELETE FROM ${q(a.table)} WHERE ${q(a.personNr)} = ? AND ${q(a.categoryId)} = ?`)
        .run(nr, this.options.archiveCategoryId);
    }
  }

  delete(nr: number): void {
    const a = this.n.categoryAssignments;
    const p = this.n.persons;
    this.db.prepare(`DELETE FROM ${q(a.table)} WHERE ${q(a.personNr)} = ?`).run(nr);
    this.db.prepare(`DELETE FROM ${q(p.table)} WHERE ${q(p.nr)} = ?`).run(nr);
  }

  categories(): Category[] {
    const c = this.n.categories;
    const rows = this.db
      .prepare(`SELECT ${q(c.id)} AS id, ${q(c.name)} AS name, ${q(c.prefix)} AS prefix FROM ${q(c.table)} WHERE ${q(c.id)} <> ? ORDER BY ${q(c.id)}`)
      .all(this.options.archiveCategoryId) as Row[];
    return rows.map((row) => {
      const id = intFromDb(row['id']);
      const name = textFromDb(row['name']) ?? '';
      return { id, name, prefix: textFromDb(row['prefix']), label: `${id}: ${name}` };
    });
  }

  /** Replaces the person's categories but keeps the archive marker as it is. */
  private replaceCategories(nr: number, ids: readonly number[]): void {
    const a = this.n.categoryAssignments;
    this.db
      .prepare(`DELETE FROM ${q(a.table)} WHERE ${q(a.personNr)} = ? AND ${q(a.categoryId)} <> ?`)
      .run(nr, this.options.archiveCategoryId);
    const insert = this.db.prepare(`INSERT OR IGNORE INTO ${q(a.table)} (${q(a.personNr)}, ${q(a.categoryId)}) VALUES (?, ?)`);
    for (const id of ids) if (id !== this.options.archiveCategoryId) insert.run(nr, id);
  }

  private categoryMap(): Map<number, number[]> {
    const a = this.n.categoryAssignments;
    const rows = this.db.prepare(`SELECT ${q(a.personNr)} AS nr, ${q(a.categoryId)} AS id FROM ${q(a.table)}`).all() as Row[];
    const map = new Map<number, number[]>();
    for (const row of rows) {
      const nr = intFromDb(row['nr']);
      const list = map.get(nr) ?? [];
      list.push(intFromDb(row['id']));
      map.set(nr, list);
    }
    return map;
  }

  private writableValues(data: Partial<PersonData>): [string, string | number | null][] {
    const out: [string, string | number | null][] = [];
    for (const [field, column] of this.columns) {
      const value = data[field];
      if (value === undefined || column === null) continue;
      out.push([column, field === 'gender' ? genderToDb(value as 'male' | 'female' | null, this.options.genderCodes) : textToDb(value as string | null)]);
    }
    return out;
  }

  private toPerson(row: Row, categoryIds: number[]): StoredPerson {
    const archiveId = this.options.archiveCategoryId;
    const values: Record<string, unknown> = {};
    for (const [field] of this.columns) {
      const raw = row[field];
      values[field] = field === 'gender' ? genderFromDb(raw, this.options.genderCodes) : DATE_FIELDS.has(field) ? dateFromDb(raw) : textFromDb(raw);
    }
    return {
      ...(values as Omit<PersonData, 'categoryIds'>),
      nr: intFromDb(row['nr']),
      categoryIds: [...new Set(categoryIds.filter((id) => id !== archiveId))].sort((x, y) => x - y),
      archived: categoryIds.includes(archiveId),
    };
  }
}
