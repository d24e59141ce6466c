/**
 * ChurchTools persons ↔ the engine's records. Property names are ChurchTools' own field names
 * (reference ct-api §1.7); values are normalised the way model.ts asks: ids as strings, dates
 * `YYYY-MM-DD`, empty → null. Writing converts back (string ids → numbers).
 */
import { z } from 'zod';
import type { FieldValue, FieldValues, SyncRecord } from '../../sync/model.ts';
import { PortError } from '../../sync/ports.ts';

type FieldKind = 'text' | 'date' | 'id' | 'idList';

/** Person fields the sync knows by type. Anything else scalar is passed through (custom DB fields). */
export const PERSON_FIELDS: Readonly<Record<string, FieldKind>> = {
  firstName: 'text',
  lastName: 'text',
  birthName: 'text',
  nickname: 'text',
  title: 'text',
  job: 'text',
  birthplace: 'text',
  email: 'text',
  birthday: 'date',
  sexId: 'id',
  statusId: 'id',
  familyStatusId: 'id',
  campusId: 'id',
  departmentIds: 'idList',
  nationalityId: 'id',
  growPathId: 'id',
  street: 'text',
  zip: 'text',
  city: 'text',
  country: 'text',
  addressAddition: 'text',
  phonePrivate: 'text',
  phoneWork: 'text',
  mobile: 'text',
  fax: 'text',
  dateOfEntry: 'date',
  dateOfResign: 'date',
  dateOfBelonging: 'date',
  dateOfBaptism: 'date',
  placeOfBaptism: 'text',
  baptisedBy: 'text',
  weddingDate: 'date',
  dateOfDeath: 'date',
  firstContact: 'date',
  referredBy: 'text',
  referredTo: 'text',
  optigemId: 'text',
};

/**
 * The writable person fields that hold a list (`departmentIds`): a mapped value is merged into
 * them, so an Optigem person with categories 150 and 160 becomes a person in two departments.
 */
export const PERSON_LIST_FIELDS: readonly string[] = Object.keys(PERSON_FIELDS).filter((key) => PERSON_FIELDS[key] === 'idList');

/**
 * Id fields the published `PersonUpdateable` types as plain numbers, not `number | null`:
 * ChurchTools cannot empty them, so an empty value is left out of the body (on create
 * ChurchTools applies its default, on update the stored value stays).
 */
const NON_NULLABLE_ID_FIELDS: ReadonlySet<string> = new Set(['statusId', 'campusId', 'growPathId']);

/** Derived properties the port adds; ChurchTools cannot take them in a person PATCH. */
export const READ_ONLY_PERSON_FIELDS: ReadonlySet<string> = new Set(['tags', 'groupIds']);

/**
 * Keys of a person that are system data, not properties to sync. [I] Every other scalar key is
 * taken as a custom DB field ("those fields have the same name as the column name", ct-api §1.7).
 */
const SYSTEM_KEYS: ReadonlySet<string> = new Set([
  'id',
  'guid',
  'meta',
  'isArchived',
  'isDead',
  'imageUrl',
  'familyImageUrl',
  'securityLevelForPerson',
  'editSecurityLevelForPerson',
  'permissions',
  'emails',
  'lastEditedDate',
  'lastLogin',
  'chatActive',
  'canChat',
  'invitationStatus',
  'isPrivacyPolicyAgreed',
  'privacyPolicyAgreement',
  'cmsUserId',
  'age',
  'sortKey',
  'familyUrl',
  'frontendUrl',
  'apiUrl',
  'domainType',
  'domainIdentifier',
  'domainAttributes',
]);

const idLike = z.union([z.number(), z.string()]);

/** The person as ChurchTools sends it; only what we rely on is checked, the rest passes through. */
export const ctPersonSchema = z.looseObject({
  id: z.number(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  isArchived: z.boolean().nullish(),
  optigemId: z.union([z.string(), z.number()]).nullish(),
  departmentIds: z.array(idLike).nullish(),
  tags: z.array(z.looseObject({ id: idLike })).nullish(),
  meta: z
    .looseObject({
      createdDate: z.string().nullish(),
      modifiedDate: z.string().nullish(),
    })
    .nullish(),
});
export type CtPerson = z.infer<typeof ctPersonSchema>;

function normaliseText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = typeof value === 'string' ? value : String(value);
  return text === '' ? null : text;
}

function normaliseDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  // date-time fields (dateOfEntry, dateOfResign) arrive as Zulu strings; the date part is what
  // ChurchTools shows and what Optigem stores.
  const match = /^(\d{4}-\d{2}-\d{2})/.exec(value);
  if (!match || match[1] === '0000-00-00') return null;
  return match[1]!;
}

function normaliseId(value: unknown): string | null {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string' && value !== '') return value;
  return null;
}

function normaliseIdList(value: unknown): readonly string[] {
  if (!Array.isArray(value)) return [];
  return value.map((v) => normaliseId(v)).filter((v): v is string => v !== null);
}

function normalise(kind: FieldKind, value: unknown): FieldValue {
  switch (kind) {
    case 'text':
      return normaliseText(value);
    case 'date':
      return normaliseDate(value);
    case 'id':
      return normaliseId(value);
    case 'idList':
      return normaliseIdList(value);
  }
}

export function personLabel(person: { firstName?: unknown; lastName?: unknown }): string {
  const first = typeof person.firstName === 'string' ? person.firstName : '';
  const last = typeof person.lastName === 'string' ? person.lastName : '';
  return [last, first].filter((s) => s !== '').join(', ');
}

export function valuesLabel(values: FieldValues): string {
  return personLabel({ firstName: values.firstName, lastName: values.lastName });
}

/**
 * A ChurchTools person as a SyncRecord. A field ChurchTools did not send (security level too low)
 * is left out instead of read as empty, so the engine never "syncs" an invisible value as a blank.
 */
export function personToRecord(person: CtPerson, extra: { groupIds?: readonly string[] } = {}): SyncRecord {
  const properties: Record<string, FieldValue> = {};
  for (const [key, raw] of Object.entries(person)) {
    if (SYSTEM_KEYS.has(key) || key === 'tags') continue;
    const kind = PERSON_FIELDS[key];
    if (kind) {
      properties[key] = normalise(kind, raw);
    } else if (raw === null || typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') {
      properties[key] = raw === '' ? null : raw;
    }
  }
  if (person.tags) properties.tags = person.tags.map((t) => String(t.id));
  if (extra.groupIds) properties.groupIds = extra.groupIds;
  return {
    id: String(person.id),
    properties,
    modifiedAt: person.meta?.modifiedDate ?? null,
    archived: person.isArchived === true,
    partnerHint: normaliseText(person.optigemId),
  };
}

function toNumber(key: string, value: string | number): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n)) {
    throw new PortError('ct.invalidValue', `ChurchTools expects a numeric id in ${key}, got "${String(value)}"`, {
      args: { field: key, value: String(value) },
    });
  }
  return n;
}

function toCtValue(key: string, kind: FieldKind | undefined, value: FieldValue): unknown {
  switch (kind) {
    case 'text':
      // [I] ChurchTools types its text fields as non-nullable strings; '' clears them.
      if (value === null) return '';
      return Array.isArray(value) ? value.join(', ') : String(value);
    case 'date':
      return value === null || value === '' ? null : String(value);
    case 'id':
      if (value === null || value === '') return null;
      if (typeof value === 'string' || typeof value === 'number') return toNumber(key, value);
      throw new PortError('ct.invalidValue', `ChurchTools expects one id in ${key}`, { args: { field: key } });
    case 'idList': {
      if (value === null) return [];
      const list: readonly (string | number)[] = Array.isArray(value) ? value : [String(value)];
      return list.map((v) => toNumber(key, v));
    }
    case undefined:
      return Array.isArray(value) ? [...value] : value;
  }
}

/** Engine values → a ChurchTools person body (POST/PATCH). */
export function recordValuesToBody(values: FieldValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (READ_ONLY_PERSON_FIELDS.has(key)) {
      throw new PortError('ct.readOnlyField', `ChurchTools persons cannot be written through "${key}"`, {
        args: { field: key },
      });
    }
    const ctValue = toCtValue(key, PERSON_FIELDS[key], value);
    if (ctValue === null && NON_NULLABLE_ID_FIELDS.has(key)) continue;
    body[key] = ctValue;
  }
  return body;
}
