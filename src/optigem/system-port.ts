/**
 * Optigem as the sync engine sees it: a SystemPort over the bridge. Records carry Optigem's own
 * field names (`Vorname`, `EMail`, `Kategorien`, …) with normalised values; writes are guarded
 * by the ETag of the last read, creates by the engine's idempotency key. Bookings (domain
 * `transaction`) are handed to OptigemBookingPort. Browser-safe.
 */
import type { Domain, FieldValue, FieldValues, IdentityFields, SyncRecord } from '../sync/model.ts';
import { PortError } from '../sync/ports.ts';
import type { CreateContext, ReadOptions, ReadResult, ReferenceData, RemoveCheck, RemoveOutcome, SystemPort, UpdateContext } from '../sync/ports.ts';
import { OptigemBookingPort } from './booking-port.ts';
import { readKeyed } from './keyed-read.ts';
import { toPortError } from './port-errors.ts';
import type { BridgeClient } from './client.ts';
import { BridgeError } from './errors.ts';
import { OPTIGEM_PERSON_FIELDS, PERSON_CATEGORY_FIELD, PERSON_DATE_FIELDS, PERSON_FIELDS, personFieldOf } from './fields.ts';
import type { PersonField } from './fields.ts';
import type { Person, PersonCreate, PersonPatch } from './schemas.ts';

export const OPTIGEM_IDENTITY: IdentityFields = {
  firstName: 'Vorname',
  lastName: 'Nachname',
  email: 'EMail',
  birthday: 'Geburtsdatum',
  address: [OPTIGEM_PERSON_FIELDS.street, OPTIGEM_PERSON_FIELDS.zip, OPTIGEM_PERSON_FIELDS.city],
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
  return {
    id: String(person.nr),
    properties,
    modifiedAt: person.lastModified,
    archived: person.archived,
    ...(person.churchToolsId ? { partnerHint: person.churchToolsId } : {}),
  };
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

  /** Reads every person by key; see readKeyed for when the read counts as complete. */
  async readAll(domain: Domain, options?: ReadOptions): Promise<ReadResult> {
    if (domain === 'transaction') return this.bookings.readAll(domain, options);
    const read = await readKeyed('/v1/persons', (after) => this.client.listPersons({ limit: this.pageSize, ...(after === undefined ? {} : { after }) }), (person) => String(person.nr));
    const records = read.items.map((person) => this.remember(person));
    return { records, complete: read.problems.length === 0, problems: read.problems };
  }

  async create(domain: Domain, values: FieldValues, context: CreateContext): Promise<SyncRecord> {
    if (domain === 'transaction') return this.bookings.create(domain, values, context);
    const input = valuesToPatch(values);
    if (typeof input.lastName !== 'string' || input.lastName === '') {
      throw new PortError('missingLastName', 'Optigem needs a Nachname to create a person.', { args: { partnerId: context.partnerId } });
    }
    try {
      // The new person carries its ChurchTools partner from the start (the bridge's mapping).
      const partner = /^\d+$/.test(context.partnerId) ? { churchToolsId: context.partnerId } : {};
      const { person } = await this.client.createPerson({ ...(input as PersonCreate), ...partner }, { idempotencyKey: context.idempotencyKey });
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

  /** Which persons exist now (archived ones too), each asked for by Nr: a 404 means gone. */
  async findExisting(domain: Domain, ids: readonly string[]): Promise<ReadonlySet<string>> {
    if (domain === 'transaction') return this.bookings.findExisting(domain, ids);
    const found = new Set<string>();
    for (const id of ids) {
      if (!/^\d+$/.test(id)) continue;
      try {
        await this.client.getPerson(Number(id));
        found.add(id);
      } catch (error) {
        if (!(error instanceof BridgeError && error.kind === 'notFound')) throw toPortError(error, { id });
      }
    }
    return found;
  }

  /**
   * Sets (or, with '', forgets) the ChurchTools partner the bridge keeps for the person. Not a
   * change of Optigem data: the person's ETag stays. Used when an admin links or unlinks by hand,
   * so that a later run does not restore a link the admin removed.
   */
  async notePartner(domain: Domain, id: string, partnerId: string): Promise<void> {
    if (domain === 'transaction') return;
    const churchToolsId = partnerId === '' ? null : partnerId;
    try {
      const etag = await this.etagFor(id, null);
      this.remember(await this.client.patchPerson(Number(id), { churchToolsId }, etag));
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
