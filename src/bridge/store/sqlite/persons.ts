/**
 * Person reads and writes on `Spender` and the category tables, written once for every driver
 * and dialect. All values are bound parameters.
 */
import type { Category, PersonData } from '../../../optigem/schemas.ts';
import type { SqlDialect } from '../driver/dialect.ts';
import type { SqlDriver, SqlValue } from '../driver/types.ts';
import type { StoredPerson } from '../types.ts';
import type { OptigemNames, PersonColumnField } from './names.ts';
import { dateFromDb, genderFromDb, genderToDb, intFromDb, textFromDb, textToDb } from './values.ts';
import type { GenderCodes } from './values.ts';

const DATE_FIELDS = new Set<PersonColumnField>(['birthday', 'membershipStart', 'membershipEnd']);

export interface PersonQueryOptions {
  names: OptigemNames;
  genderCodes: GenderCodes;
  archiveCategoryId: number;
}

/** Which persons a page holds: those after a key (keyed paging) or after skipping rows (offset). */
export type PersonPageStart = { after: number } | { offset: number };

export class SqlPersons {
  private readonly n: OptigemNames;
  private readonly columns: [PersonColumnField, string | null][];
  private readonly selectColumns: string;
  /** Where each field sits in a row of `selectColumns` (-1: the installation lacks the column). */
  private readonly at: Record<PersonColumnField | 'nr', number>;
  private readonly from: string;

  constructor(
    private readonly sql: SqlDriver,
    private readonly d: SqlDialect,
    private readonly options: PersonQueryOptions,
  ) {
    this.n = options.names;
    this.columns = Object.entries(this.n.persons.columns) as [PersonColumnField, string | null][];
    const p = this.n.persons;
    const present = this.columns.filter(([, column]) => column !== null);
    this.selectColumns = [`${d.quote(p.nr)} AS nr`, ...present.map(([field, column]) => `${d.quote(column as string)} AS ${d.quote(field)}`)].join(', ');
    const at: Record<string, number> = { nr: 0 };
    for (const [field] of this.columns) at[field] = -1;
    present.forEach(([field], i) => {
      at[field] = i + 1;
    });
    this.at = at as Record<PersonColumnField | 'nr', number>;
    this.from = `FROM ${d.quote(p.table)}`;
  }

  private get nr(): string {
    return this.d.quote(this.n.persons.nr);
  }

  async list(): Promise<StoredPerson[]> {
    const rows = await this.sql.queryArrays(`SELECT ${this.selectColumns} ${this.from} WHERE ${this.nr} <> 0 ORDER BY ${this.nr}`);
    const categories = await this.categoryMap();
    return rows.map((row) => this.toPerson(row, categories.get(intFromDb(row[0])) ?? []));
  }

  /**
   * One page ascending by Nr, Donor 0 excluded: the persons' rows by the primary key, their
   * categories by a key range of the assignment table. Cost grows with the page, not the table.
   */
  async page(start: PersonPageStart, limit: number): Promise<StoredPerson[]> {
    const keyed = 'after' in start;
    const where = keyed ? `WHERE ${this.nr} > ? AND ${this.nr} <> 0` : `WHERE ${this.nr} <> 0`;
    const select = this.d.select({ columns: this.selectColumns, from: `${this.from} ${where}`, orderBy: this.nr }, limit, keyed ? 0 : start.offset);
    const rows = (await this.sql.queryArrays(select.sql, keyed ? [start.after] : [])).slice(select.skip);
    const first = rows[0];
    const last = rows[rows.length - 1];
    if (first === undefined || last === undefined) return [];
    const a = this.n.categoryAssignments;
    const personNr = this.d.quote(a.personNr);
    const assignments = await this.sql.queryArrays(
      `SELECT ${personNr} AS nr, ${this.d.quote(a.categoryId)} AS id FROM ${this.d.quote(a.table)} WHERE ${personNr} >= ? AND ${personNr} <= ?`,
      [intFromDb(first[0]), intFromDb(last[0])],
    );
    const categories = groupCategories(assignments);
    return rows.map((row) => this.toPerson(row, categories.get(intFromDb(row[0])) ?? []));
  }

  /**
   * Persons except Donor 0. A COUNT(*) with a WHERE clause reads every row (SQLite scans the whole
   * table for it); without one SQLite counts the table's b-tree pages and Jet keeps the row
   * count [I], so the count of the whole table minus Donor 0's record is cheap on every page.
   */
  async count(): Promise<number> {
    const rows = await this.sql.query(`SELECT COUNT(*) AS n ${this.from}`);
    return intFromDb(rows[0]?.['n']) - ((await this.donor0Exists()) ? 1 : 0);
  }

  async get(nr: number): Promise<StoredPerson | null> {
    if (nr === 0) return null;
    const row = (await this.sql.queryArrays(`SELECT ${this.selectColumns} ${this.from} WHERE ${this.nr} = ?`, [nr]))[0];
    if (!row) return null;
    const a = this.n.categoryAssignments;
    const ids = (
      await this.sql.query(`SELECT ${this.d.quote(a.categoryId)} AS id FROM ${this.d.quote(a.table)} WHERE ${this.d.quote(a.personNr)} = ?`, [nr])
    ).map((r) => intFromDb(r['id']));
    return this.toPerson(row, ids);
  }

  async donor0Exists(): Promise<boolean> {
    return (await this.sql.query(`SELECT ${this.nr} AS nr ${this.from} WHERE ${this.nr} = 0`)).length > 0;
  }

  async create(data: PersonData): Promise<number> {
    const p = this.n.persons;
    // Optigem numbers persons itself (no identity column [I]); MAX + 1 inside the write's transaction.
    const max = (await this.sql.query(`SELECT MAX(${this.nr}) AS nr ${this.from}`))[0]?.['nr'];
    const nr = (max === null || max === undefined ? 0 : intFromDb(max)) + 1;
    const assignments = this.writableValues(data);
    const columns = [this.nr, ...assignments.map(([column]) => this.d.quote(column))];
    const values = [nr, ...assignments.map(([, value]) => value)];
    await this.sql.execute(`INSERT INTO ${this.d.quote(p.table)} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`, values);
    await this.replaceCategories(nr, data.categoryIds);
    return nr;
  }

  async update(nr: number, patch: Partial<PersonData>): Promise<void> {
    const assignments = this.writableValues(patch);
    if (assignments.length > 0) {
      const set = assignments.map(([column]) => `${this.d.quote(column)} = ?`).join(', ');
      await this.sql.execute(`UPDATE ${this.d.quote(this.n.persons.table)} SET ${set} WHERE ${this.nr} = ?`, [...assignments.map(([, v]) => v), nr]);
    }
    if (patch.categoryIds !== undefined) await this.replaceCategories(nr, patch.categoryIds);
  }

  async setArchived(nr: number, archived: boolean): Promise<void> {
    const a = this.n.categoryAssignments;
    if (archived) await this.assign(nr, this.options.archiveCategoryId);
    else {
      await this.sql.execute(`DELETE FROM ${this.d.quote(a.table)} WHERE ${this.d.quote(a.personNr)} = ? AND ${this.d.quote(a.categoryId)} = ?`, [
        nr,
        this.options.archiveCategoryId,
      ]);
    }
  }

  async delete(nr: number): Promise<void> {
    const a = this.n.categoryAssignments;
    await this.sql.execute(`DELETE FROM ${this.d.quote(a.table)} WHERE ${this.d.quote(a.personNr)} = ?`, [nr]);
    await this.sql.execute(`DELETE FROM ${this.d.quote(this.n.persons.table)} WHERE ${this.nr} = ?`, [nr]);
  }

  async categories(): Promise<Category[]> {
    const c = this.n.categories;
    const id = this.d.quote(c.id);
    const rows = await this.sql.query(
      `SELECT ${id} AS id, ${this.d.quote(c.name)} AS name, ${this.d.quote(c.prefix)} AS prefix FROM ${this.d.quote(c.table)} WHERE ${id} <> ? ORDER BY ${id}`,
      [this.options.archiveCategoryId],
    );
    return rows.map((row) => {
      const id = intFromDb(row['id']);
      const name = textFromDb(row['name']) ?? '';
      return { id, name, prefix: textFromDb(row['prefix']), label: `${id}: ${name}` };
    });
  }

  /** Replaces the person's categories but keeps the archive marker as it is. */
  private async replaceCategories(nr: number, ids: readonly number[]): Promise<void> {
    const a = this.n.categoryAssignments;
    await this.sql.execute(`DELETE FROM ${this.d.quote(a.table)} WHERE ${this.d.quote(a.personNr)} = ? AND ${this.d.quote(a.categoryId)} <> ?`, [
      nr,
      this.options.archiveCategoryId,
    ]);
    for (const id of new Set(ids)) if (id !== this.options.archiveCategoryId) await this.assign(nr, id);
  }

  /** Adds one assignment unless present (Jet and SQL Server have no INSERT OR IGNORE). */
  private async assign(nr: number, categoryId: number): Promise<void> {
    const a = this.n.categoryAssignments;
    const table = this.d.quote(a.table);
    const personNr = this.d.quote(a.personNr);
    const category = this.d.quote(a.categoryId);
    const present = await this.sql.query(`SELECT ${personNr} AS nr FROM ${table} WHERE ${personNr} = ? AND ${category} = ?`, [nr, categoryId]);
    if (present.length === 0) await this.sql.execute(`INSERT INTO ${table} (${personNr}, ${category}) VALUES (?, ?)`, [nr, categoryId]);
  }

  private async categoryMap(): Promise<Map<number, number[]>> {
    const a = this.n.categoryAssignments;
    return groupCategories(await this.sql.queryArrays(`SELECT ${this.d.quote(a.personNr)} AS nr, ${this.d.quote(a.categoryId)} AS id FROM ${this.d.quote(a.table)}`));
  }

  private writableValues(data: Partial<PersonData>): [string, SqlValue][] {
    const out: [string, SqlValue][] = [];
    for (const [field, column] of this.columns) {
      const value = data[field];
      if (value === undefined || column === null) continue;
      out.push([
        column,
        field === 'gender'
          ? genderToDb(value as 'male' | 'female' | null, this.options.genderCodes)
          : DATE_FIELDS.has(field) && typeof value === 'string' && value !== ''
            ? this.d.date(value)
            : textToDb(value as string | null),
      ]);
    }
    return out;
  }

  /**
   * One row (in `selectColumns` order) as a person. Written out field by field, since this runs
   * for every row of every page: an object built in one literal is several times cheaper to make,
   * hash and serialise than one filled key by key. A column the installation lacks reads as null.
   */
  private toPerson(row: readonly unknown[], categoryIds: number[]): StoredPerson {
    const at = this.at;
    const archiveId = this.options.archiveCategoryId;
    const ids = categoryIds.filter((id) => id !== archiveId).sort((x, y) => x - y);
    return {
      nr: intFromDb(row[at.nr]),
      salutation: textFromDb(row[at.salutation]),
      title: textFromDb(row[at.title]),
      firstName: textFromDb(row[at.firstName]),
      lastName: textFromDb(row[at.lastName]),
      letterSalutation: textFromDb(row[at.letterSalutation]),
      street: textFromDb(row[at.street]),
      addressAddition: textFromDb(row[at.addressAddition]),
      zip: textFromDb(row[at.zip]),
      city: textFromDb(row[at.city]),
      country: textFromDb(row[at.country]),
      phoneEvening: textFromDb(row[at.phoneEvening]),
      mobile: textFromDb(row[at.mobile]),
      fax: textFromDb(row[at.fax]),
      email: textFromDb(row[at.email]),
      birthday: dateFromDb(row[at.birthday]),
      membershipStart: dateFromDb(row[at.membershipStart]),
      membershipEnd: dateFromDb(row[at.membershipEnd]),
      gender: genderFromDb(row[at.gender], this.options.genderCodes),
      categoryIds: ids.filter((id, i) => i === 0 || id !== ids[i - 1]),
      archived: ids.length < categoryIds.length,
    } satisfies Record<PersonColumnField, unknown> & StoredPerson;
  }
}

/** Assignment rows `[nr, categoryId]` (arrays: ~1.5 of them per person on every page) by person. */
function groupCategories(rows: readonly (readonly unknown[])[]): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (const row of rows) {
    const nr = intFromDb(row[0]);
    const list = map.get(nr);
    if (list === undefined) map.set(nr, [intFromDb(row[1])]);
    else list.push(intFromDb(row[1]));
  }
  return map;
}
