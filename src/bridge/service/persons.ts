/**
 * Persons as the API shows them: the store's record plus change time, ETag, couple flag; and
 * the guarded writes (If-Match, idempotency key, audit entry, all in one store transaction).
 */
import { PERSON_FIELDS } from '../../optigem/fields.ts';
import type { PersonField } from '../../optigem/fields.ts';
import type { CoupleRecord, Person, PersonCreate, PersonData, PersonPatch } from '../../optigem/schemas.ts';
import { ApiError, invalid, notFound } from '../errors.ts';
import { joinObjects, jsonText } from '../http/json-text.ts';
import type { JsonText } from '../http/json-text.ts';
import type { StoredPerson } from '../store/types.ts';
import { assertIfMatch, contentHash, contentJson, etagOf, hashOfJson } from './content.ts';
import { assertWritesAllowed, diff, isoNow } from './deps.ts';
import type { Actor, ServiceDeps } from './deps.ts';
import { ListCounts, changedSince, fromNative, fromShadow, pageOf, readKeyedPage, trackAll, trackPage } from './tracking.ts';
import type { Paged, Tracked } from './tracking.ts';

const ENTITY = 'person';

export interface PersonListQuery {
  page: number;
  limit: number;
  updatedSince?: string | undefined;
  after?: string | undefined;
}

export interface WriteOptions {
  ifMatch: string | undefined;
  actor: Actor;
}

type PersonContent = Pick<Person, PersonField | 'archived'>;
/** What a person shows besides its content: Nr, couple, change time, ETag, partner id. */
type PersonExtras = Omit<Person, keyof PersonContent>;

/**
 * The values that make up a person's content: what the hash, the ETag and the audit log cover.
 * One literal with its keys in sorted order: contentHash then needs no re-sorting, and this runs
 * for every record of every page. `satisfies` makes a new person field a compile error here until
 * it is part of the content.
 */
function contentOf(p: StoredPerson): PersonContent {
  return {
    addressAddition: p.addressAddition,
    archived: p.archived,
    birthday: p.birthday,
    categoryIds: p.categoryIds,
    city: p.city,
    country: p.country,
    email: p.email,
    fax: p.fax,
    firstName: p.firstName,
    gender: p.gender,
    lastName: p.lastName,
    letterSalutation: p.letterSalutation,
    membershipEnd: p.membershipEnd,
    membershipStart: p.membershipStart,
    mobile: p.mobile,
    phoneEvening: p.phoneEvening,
    salutation: p.salutation,
    street: p.street,
    title: p.title,
    zip: p.zip,
  } satisfies Record<PersonField | 'archived', unknown>;
}

/** A page's person as the answer's text: its content's text, the one its hash covers, plus the rest. */
function personJson(content: JsonText<PersonContent>, extras: PersonExtras): JsonText<Person> {
  return joinObjects(content, jsonText(extras));
}

function emptyPerson(): PersonData {
  const data: Record<string, unknown> = {};
  for (const field of PERSON_FIELDS) data[field] = field === 'categoryIds' ? [] : null;
  return data as PersonData;
}

export class PersonService {
  private readonly counts = new ListCounts();

  constructor(private readonly deps: ServiceDeps) {}

  list(query: PersonListQuery): Promise<Paged<JsonText<Person>>> {
    return this.deps.serial.run(async () => {
      if (query.updatedSince === undefined) {
        const store = this.deps.store;
        return readKeyedPage(query, {
          fetch: (start, limit) => store.pagePersons(start, limit),
          count: () => store.countPersons(),
          counts: { memo: this.counts, list: ENTITY },
          keyOf: (p) => String(p.nr),
          present: (persons) => {
            const presented = this.presentPage(persons, (records) => trackPage(this.deps.state.shadow, ENTITY, this.native, records, isoNow(this.deps)));
            return presented.map((entry) => entry.json);
          },
        });
      }
      const persons = await this.deps.store.listPersons();
      const since = Date.parse(query.updatedSince);
      const all = this.presentPage(persons, (records) => trackAll(this.deps.state.shadow, ENTITY, this.native, records, isoNow(this.deps)));
      const paged = pageOf(
        all.filter((entry) => changedSince(entry.tracked, since)),
        query,
        (entry) => String(entry.nr),
      );
      return { ...paged, items: paged.items.map((entry) => entry.json) };
    });
  }

  /**
   * Persons of a list as the answer's text: each one's content serialised once, for its hash
   * and for the answer; `track` turns the hashes into change times (one page, or every person).
   */
  private presentPage(
    persons: readonly StoredPerson[],
    track: (records: { key: string; hash: string; modifiedAt: string | null | undefined }[]) => Map<string, Tracked>,
  ): { nr: number; json: JsonText<Person>; tracked: Tracked }[] {
    const contents = persons.map((p) => contentJson(contentOf(p)));
    const records = persons.map((p, i) => ({ key: String(p.nr), hash: hashOfJson(contents[i] as string), modifiedAt: p.modifiedAt }));
    const tracked = track(records);
    const partners = this.deps.state.partners.findMany(
      ENTITY,
      records.map((r) => r.key),
    );
    return persons.map((p, i) => {
      const { key, hash } = records[i] as (typeof records)[number];
      const state = tracked.get(key) ?? fromNative(null);
      return { nr: p.nr, json: personJson(contents[i] as JsonText<PersonContent>, this.extrasOf(p, hash, state, partners.get(key) ?? null)), tracked: state };
    });
  }

  /** Couple records, archived ones included: bookings of earlier years still name them. */
  couples(): Promise<CoupleRecord[]> {
    return this.deps.serial.run(async () =>
      (await this.deps.store.listPersons()).flatMap((p) => {
        const couple = this.deps.detectCouple(p.nr, p);
        return couple === null ? [] : [{ nr: p.nr, ...couple, firstNames: [...couple.firstNames], sexes: [...couple.sexes], lastName: p.lastName }];
      }),
    );
  }

  get(nr: number): Promise<Person> {
    return this.deps.serial.run(async () => this.presentCurrent(await this.load(nr)));
  }

  create(input: PersonCreate, options: { idempotencyKey?: string | undefined; actor: Actor }): Promise<{ person: Person; replayed: boolean }> {
    this.assertWritable();
    return this.deps.serial.run(() =>
      this.deps.store.atomic(async () => {
        const key = options.idempotencyKey;
        if (key !== undefined) {
          const earlier = this.deps.state.idempotency.find(ENTITY, key);
          if (earlier !== null) {
            const person = await this.deps.store.getPerson(Number(earlier));
            if (person === null) {
              throw new ApiError(409, 'idempotencyKeyReused', `The person created with this Idempotency-Key (Nr ${earlier}) was deleted since.`);
            }
            return { person: this.presentCurrent(person), replayed: true };
          }
        }
        const { churchToolsId, ...values } = input;
        const data: PersonData = { ...emptyPerson(), ...values };
        await this.assertCategoriesExist(data.categoryIds);
        const nr = await this.deps.store.createPerson(data);
        if (churchToolsId !== undefined) this.deps.state.partners.remember(ENTITY, String(nr), churchToolsId);
        const created = await this.load(nr);
        const now = isoNow(this.deps);
        const hash = contentHash(contentOf(created));
        const tracked = this.native ? fromNative(created.modifiedAt) : fromShadow(this.deps.state.shadow.recordWrite(ENTITY, String(nr), hash, now));
        if (key !== undefined) this.deps.state.idempotency.remember(ENTITY, key, String(nr), now);
        this.audit(options.actor, 'create', nr, null, contentOf(created));
        return { person: this.present(created, hash, tracked, churchToolsId ?? null), replayed: false };
      }),
    );
  }

  patch(nr: number, patch: PersonPatch, options: WriteOptions): Promise<Person> {
    this.assertWritable();
    const { churchToolsId, ...values } = patch;
    return this.write(nr, options, async () => {
      if (values.categoryIds !== undefined) await this.assertCategoriesExist(values.categoryIds);
      if (Object.keys(values).length > 0) await this.deps.store.updatePerson(nr, values);
      if (churchToolsId === null) this.deps.state.partners.forget(ENTITY, String(nr));
      else if (churchToolsId !== undefined) this.deps.state.partners.remember(ENTITY, String(nr), churchToolsId);
    }, 'update');
  }

  setArchived(nr: number, archived: boolean, options: WriteOptions): Promise<Person> {
    this.assertWritable();
    return this.write(nr, options, () => this.deps.store.setArchived(nr, archived), archived ? 'archive' : 'unarchive');
  }

  delete(nr: number, options: WriteOptions): Promise<void> {
    this.assertWritable();
    return this.deps.serial.run(() =>
      this.deps.store.atomic(async () => {
        const current = await this.load(nr);
        assertIfMatch(options.ifMatch, etagOf(contentHash(contentOf(current))), `person ${nr}`);
        if (await this.deps.store.personHasBookings(nr)) {
          throw new ApiError(409, 'hasBookings', `Person ${nr} has bookings (as Unterkonto); archive it instead of deleting it.`);
        }
        await this.deps.store.deletePerson(nr);
        this.deps.state.shadow.forget(ENTITY, String(nr));
        this.deps.state.partners.forget(ENTITY, String(nr));
        this.audit(options.actor, 'delete', nr, contentOf(current), null);
      }),
    );
  }

  private write(nr: number, options: WriteOptions, change: () => Promise<void>, action: 'update' | 'archive' | 'unarchive'): Promise<Person> {
    return this.deps.serial.run(() =>
      this.deps.store.atomic(async () => {
        const before = await this.load(nr);
        assertIfMatch(options.ifMatch, etagOf(contentHash(contentOf(before))), `person ${nr}`);
        await change();
        const after = await this.load(nr);
        const changes = diff(contentOf(before), contentOf(after));
        if (Object.keys(changes.newValues).length === 0) return this.presentCurrent(after);
        const hash = contentHash(contentOf(after));
        const tracked = this.native
          ? fromNative(after.modifiedAt)
          : fromShadow(this.deps.state.shadow.recordWrite(ENTITY, String(nr), hash, isoNow(this.deps)));
        this.audit(options.actor, action, nr, changes.oldValues, changes.newValues);
        return this.present(after, hash, tracked, this.partnerOf(nr));
      }),
    );
  }

  private get native(): boolean {
    return this.deps.store.modificationTracking === 'native';
  }

  private assertWritable(): void {
    assertWritesAllowed(this.deps, 'persons');
  }

  private async load(nr: number): Promise<StoredPerson> {
    // Donor 0 is a placeholder for anonymous donations, never a person (reference §0.6).
    const person = nr === 0 ? null : await this.deps.store.getPerson(nr);
    if (person === null) throw notFound(`Person ${nr}`);
    return person;
  }

  private async assertCategoriesExist(ids: readonly number[]): Promise<void> {
    const known = new Set((await this.deps.store.categories()).map((c) => c.id));
    const problems = ids
      .map((id, index) => ({ id, index }))
      .filter(({ id }) => !known.has(id))
      .map(({ id, index }) => ({ path: `categoryIds.${index}`, message: `Category ${id} does not exist.` }));
    if (problems.length > 0) throw invalid(problems);
  }

  private presentCurrent(person: StoredPerson): Person {
    const hash = contentHash(contentOf(person));
    const tracked = this.native
      ? fromNative(person.modifiedAt)
      : fromShadow(this.deps.state.shadow.observe(ENTITY, String(person.nr), hash, isoNow(this.deps)));
    return this.present(person, hash, tracked, this.partnerOf(person.nr));
  }

  private coupleOf(person: StoredPerson): Person['couple'] {
    const couple = this.deps.detectCouple(person.nr, person);
    return couple === null ? null : { ...couple, firstNames: [...couple.firstNames], sexes: [...couple.sexes] };
  }

  private partnerOf(nr: number): string | null {
    return this.deps.state.partners.find(ENTITY, String(nr));
  }

  private present(p: StoredPerson, hash: string, tracked: Tracked, churchToolsId: string | null): Person {
    return { ...contentOf(p), ...this.extrasOf(p, hash, tracked, churchToolsId) };
  }

  /** One literal, like contentOf: it runs for every record of every page. */
  private extrasOf(p: StoredPerson, hash: string, tracked: Tracked, churchToolsId: string | null): PersonExtras {
    return {
      nr: p.nr,
      couple: this.coupleOf(p),
      lastModified: tracked.lastModified,
      lastModifiedSource: tracked.source,
      etag: etagOf(hash),
      churchToolsId,
    };
  }

  private audit(actor: Actor, action: 'create' | 'update' | 'archive' | 'unarchive' | 'delete', nr: number, oldValues: Record<string, unknown> | null, newValues: Record<string, unknown> | null): void {
    this.deps.state.audit.append({ at: isoNow(this.deps), tokenId: actor.tokenId, tokenName: actor.tokenName, action, entity: ENTITY, recordId: String(nr), oldValues, newValues });
  }
}
