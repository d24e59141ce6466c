/**
 * Optigem as the sync engine sees it: a SystemPort over the bridge. Records carry Optigem's own
 * field names (`Vorname`, `EMail`, `Kategorien`, …) with normalised values; writes are guarded
 * by the ETag of the last read, creates by the engine's idempotency key. Bookings (domain
 * `transaction`) are handed to OptigemBookingPort. Browser-safe.
 */
import type { Domain, FieldValue, FieldValues, IdentityFields, SyncRecord } from '../sync/model.ts';
import { PortError } from '../sync/ports.ts';
import type { CreateContext, ReadOptions, ReadProblem, ReadResult, ReferenceData, RemoveCheck, RemoveOutcome, SystemPort, UpdateContext } from '../sync/ports.ts';
import { OptigemBookingPort } from './booking-port.ts';
import { toPortError } from './port-errors.ts';
import type { BridgeClient } from './client.ts';
import { OPTIGEM_PERSON_FIELDS, PERSON_CATEGORY_FIELD, PERSON_DATE_FIELDS, PERSON_FIELDS, personFieldOf } from './fields.ts';
import type { PersonField } from './fields.ts';
import type { Person, PersonCreate, PersonPatch } from './schemas.ts';

export const OPTIGEM_IDENTITY: IdentityFields = {
  firstName: 'Vorname',
  lastName: 'Nachname',
  email: 'EMail',
  birthday: 'Geburtsdatum',
};

export interface OptigemSystemPortOptions {
  /** Persons (and bookings) per request; default 500 (the bridge allows up to 1000). */
  pageSize?: number;
}

const DATE_FIELDS = new Set<string>(Object.keys(PERSON_DATE_FIELDS));


/** Categories become id strings; `Geschlecht` stays `male` / `female` / null (unknown). */
function toValue(field: PersonField, person: Person): FieldValue {
  if (field === 'categoryIds') return person.categoryIds.map(String);
  return person[field] ?? null;
}

export function personToRecord(person: Person): SyncRecord {
  const properties: Record<string, FieldValue> = {};
  for (const field of PERSON_FIELDS) properties[OPTIGEM_PERSON_FIELDS[field]] = toValue(field, person);
  return { id: String(person.nr), properties, modifiedAt: person.lastModified, archived: person.archived };
}

function invalidValue(property: string, reason: string): PortError {
  return new PortError('invalidValue', `Optigem property ${property}: ${reason}`, { args: { property, reason } });
}

/** Engine values (Optigem names) → bridge fields; empty strings become null. */
export function valuesToPatch(values: FieldValues): PersonPatch {
  const patch: Record<string, unknown> = {};
  for (const [property, value] of Object.entries(values)) {
    const field = personFieldOf(property);
    if (field === undefined) {
      throw new PortError('unknownProperty', `Optigem has no person property "${property}" the bridge can write.`, { args: { property } });
    }
    if (field === 'categoryIds') {
      const list = value === null || value === '' ? [] : Array.isArray(value) ? value : [String(value)];
      patch[field] = list.map((entry) => {
        // Accept ChurchTools' display form "150: Mitglieder" as well as the bare id.
        const id = Number(/^\s*(\d+)/.exec(String(entry))?.[1] ?? Number.NaN);
        if (!Number.isInteger(id)) throw invalidValue(property, `"${String(entry)}" is not a category id`);
        return id;
      });
      continue;
    }
    if (Array.isArray(value)) throw invalidValue(property, 'a list is not allowed here');
    const scalar = value === null || value === '' ? null : String(value);
    if (field === 'gender' && scalar !== null && scalar !== 'male' && scalar !== 'female') {
      throw invalidValue(property, `"${scalar}" is not male, female or empty`);
    }
    if (DATE_FIELDS.has(field) && scalar !== null && !/^\d{4}-\d{2}-\d{2}$/.test(scalar)) {
      throw invalidValue(property, `"${scalar}" is not a date (YYYY-MM-DD)`);
    }
    patch[field] = scalar;
  }
  return patch as PersonPatch;
}

export class OptigemSystemPort implements SystemPort {
  readonly system = 'optigem' as const;
  readonly identity: IdentityFields = OPTIGEM_IDENTITY;
  /** Categories are a set: a mapped status is merged into them, never replaces them. */
  readonly listFields: readonly string[] = [PERSON_CATEGORY_FIELD.categoryIds];
  private readonly pageSize: number;
  /** ETag of each person as last read or written: the version a write is based on. */
  private readonly etags = new Map<string, string>();
  private readonly couples = new Map<string, readonly string[]>();
  /** Bookings (domain `transaction`) go to their own port over the same client. */
  private readonly bookings: OptigemBookingPort;

  constructor(
    readonly client: BridgeClient,
    options: OptigemSystemPortOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 500;
    this.bookings = new OptigemBookingPort(client, { pageSize: this.pageSize });
  }

  /**
   * Reads every page. A failed page is reported, never thrown, and marks the read incomplete, as
   * does a total that changes between pages (offset paging could then skip a record).
   */
  async readAll(domain: Domain, options?: ReadOptions): Promise<ReadResult> {
    if (domain === 'transaction') return this.bookings.readAll(domain, options);
    const records = new Map<string, SyncRecord>();
    const problems: ReadProblem[] = [];
    const readPage = async (page: number): Promise<number | null> => {
      try {
        const result = await this.client.listPersons({ page, limit: this.pageSize });
        for (const person of result.items) records.set(String(person.nr), this.remember(person));
        return result.total;
      } catch (error) {
        const failure = toPortError(error);
        problems.push({ what: `page ${page} of /v1/persons`, message: failure.message, error: { key: `error.${failure.code}`, args: { ...failure.args, detail: failure.message } } });
        return null;
      }
    };
    const total = await readPage(1);
    if (total !== null) {
      const pages = Math.ceil(total / this.pageSize);
      for (let page = 2; page <= pages; page++) {
        const seen = await readPage(page);
        if (seen !== null && seen !== total) {
          problems.push({ what: `page ${page} of /v1/persons`, message: `Optigem changed during the read (${total} → ${seen} persons); read again.` });
        }
      }
    }
    return { records: [...records.values()], complete: problems.length === 0, problems };
  }

  async create(domain: Domain, values: FieldValues, context: CreateContext): Promise<SyncRecord> {
    if (domain === 'transaction') return this.bookings.create(domain, values, context);
    const input = valuesToPatch(values);
    if (typeof input.lastName !== 'string' || input.lastName === '') {
      throw new PortError('missingLastName', 'Optigem needs a Nachname to create a person.', { args: { partnerId: context.partnerId } });
    }
    try {
      const { person } = await this.client.createPerson(input as PersonCreate, { idempotencyKey: context.idempotencyKey });
      return this.remember(person);
    } catch (error) {
      throw toPortError(error, { partnerId: context.partnerId });
    }
  }

  async update(domain: Domain, id: string, values: FieldValues, context: UpdateContext): Promise<SyncRecord> {
    if (domain === 'transaction') return this.bookings.update(domain, id, values, context);
    const patch = valuesToPatch(values);
    try {
      const etag = await this.etagFor(id, context.expectedModifiedAt);
      if (Object.keys(patch).length === 0) return this.remember(await this.client.getPerson(Number(id)));
      return this.remember(await this.client.patchPerson(Number(id), patch, etag));
    } catch (error) {
      throw toPortError(error, { id });
    }
  }

  async archive(domain: Domain, id: string): Promise<void> {
    if (domain === 'transaction') {
      throw new PortError('archiveNotForTransactions', `Bookings cannot be archived, only deleted (Optigem booking ${id}).`, { args: { id } });
    }
    try {
      this.remember(await this.client.archivePerson(Number(id), await this.etagFor(id, null)));
    } catch (error) {
      throw toPortError(error, { id });
    }
  }

  async remove(domain: Domain, id: string): Promise<RemoveOutcome | void> {
    if (domain === 'transaction') return this.bookings.remove(domain, id);
    try {
      await this.client.deletePerson(Number(id), await this.etagFor(id, null));
      this.etags.delete(id);
      this.couples.delete(id);
    } catch (error) {
      throw toPortError(error, { id });
    }
  }

  /** Persons: the bridge deletes or refuses at run time (bookings point to the person). */
  async checkRemove(domain: Domain, id: string): Promise<RemoveCheck> {
    if (domain === 'transaction') return this.bookings.checkRemove(domain, id);
    return { kind: 'removed' };
  }

  async readReferences(domain: Domain, options?: ReadOptions): Promise<ReferenceData> {
    if (domain === 'transaction') return this.bookings.readReferences(domain, options);
    return { known: {}, problems: [], writable: true };
  }

  /** First names of a couple record as last read (e.g. ["Max", "Erika"]), or null. */
  coupleOf(id: string): readonly string[] | null {
    return this.couples.get(id) ?? null;
  }

  private remember(person: Person): SyncRecord {
    const id = String(person.nr);
    this.etags.set(id, person.etag);
    if (person.couple) this.couples.set(id, person.couple.firstNames);
    else this.couples.delete(id);
    return personToRecord(person);
  }

  /**
   * The ETag to send. Normally from the last read; a record never read here is fetched, and if
   * the plan saw another modification time, it changed since the plan was made.
   */
  private async etagFor(id: string, expectedModifiedAt: string | null): Promise<string> {
    const known = this.etags.get(id);
    if (known !== undefined) return known;
    const person = await this.client.getPerson(Number(id));
    if (expectedModifiedAt !== null && person.lastModified !== expectedModifiedAt) {
      throw new PortError('changedSinceRead', `Optigem person ${id} was changed since it was read.`, { args: { id } });
    }
    this.remember(person);
    return person.etag;
  }
}
