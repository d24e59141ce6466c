/**
 * The bridge API's request and response bodies, as zod schemas. The bridge server validates
 * with them, the client validates every response with them, and the server's OpenAPI document
 * is generated from them (`apiSchemas` registry), so the three cannot drift apart.
 *
 * Browser-safe: imports only zod.
 */
import { z } from 'zod';
import { PERSON_DATE_FIELDS, PERSON_TEXT_FIELDS } from './fields.ts';
import type { PersonDateField, PersonTextField } from './fields.ts';

export const API_VERSION = 'v1';

/** Named schemas; they become `components.schemas` of the OpenAPI document. */
export const apiSchemas = z.registry<{ id: string; description?: string }>();

const MAX_TEXT = 255;
const text = () => z.string().max(MAX_TEXT).nullable();
const isoDate = () => z.iso.date();
/** UTC instants always end in `Z`. */
const utcInstant = () => z.iso.datetime();

export const LastModifiedSourceSchema = z
  .enum(['native', 'shadow', 'unknown'])
  .register(apiSchemas, {
    id: 'LastModifiedSource',
    description:
      'native: the store has a modification column. shadow: the bridge noticed the change itself (content hash). unknown: the bridge has not seen this record change yet.',
  });
export type LastModifiedSource = z.infer<typeof LastModifiedSourceSchema>;

// --- errors ----------------------------------------------------------------------------------

export const FieldProblemSchema = z.object({
  /** Dotted path into the request body or query, e.g. `birthday` or `debit.account`. */
  path: z.string(),
  message: z.string(),
});
export type FieldProblem = z.infer<typeof FieldProblemSchema>;

export const ERROR_CODES = [
  'unauthorized',
  'forbidden',
  'notFound',
  'validation',
  'invalidJson',
  'changed',
  'preconditionRequired',
  'conflict',
  'hasBookings',
  'fiscalYearClosed',
  'writesDisabled',
  'idempotencyKeyReused',
  'payloadTooLarge',
  'unsupportedMediaType',
  'nightlyOff',
  'nightlyBusy',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      fields: z.array(FieldProblemSchema).optional(),
    }),
  })
  .register(apiSchemas, { id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

// --- health and meta -------------------------------------------------------------------------

export const HealthSchema = z
  .object({
    status: z.literal('ok'),
    version: z.string(),
    apiVersion: z.string(),
    store: z.string(),
    serverTime: utcInstant(),
    /** Only when the bridge runs jobs nightly. Ids and statuses only: details need a ChurchTools login. */
    nightly: z
      .object({
        nextRun: utcInstant().nullable(),
        lastResults: z.array(z.object({ jobId: z.string(), executionId: z.string().nullable(), status: z.string(), at: utcInstant() })),
      })
      .optional(),
  })
  .register(apiSchemas, { id: 'Health' });
export type Health = z.infer<typeof HealthSchema>;

export const CategorySchema = z
  .object({
    id: z.int().nonnegative(),
    name: z.string(),
    prefix: z.string().nullable(),
    /** ChurchTools' own wording, e.g. `150: Mitglieder`. */
    label: z.string(),
  })
  .register(apiSchemas, { id: 'Category' });
export type Category = z.infer<typeof CategorySchema>;

export const FiscalYearSchema = z
  .object({
    year: z.int(),
    start: isoDate(),
    end: isoDate(),
    closed: z.boolean(),
  })
  .register(apiSchemas, { id: 'FiscalYear' });
export type FiscalYear = z.infer<typeof FiscalYearSchema>;

export const CapabilitiesSchema = z
  .object({
    writePersons: z.boolean(),
    writeBookings: z.boolean(),
    lastModified: z.enum(['native', 'shadow']),
    idempotentCreate: z.boolean(),
    /** How "archived" is kept in Optigem, which has no archive flag of its own [I]. */
    archive: z.object({ mechanism: z.literal('category'), categoryId: z.int().nonnegative() }),
  })
  .register(apiSchemas, { id: 'Capabilities' });
export type Capabilities = z.infer<typeof CapabilitiesSchema>;

export const MetaSchema = z
  .object({
    version: z.string(),
    store: z.string(),
    mandant: z.object({ id: z.string(), name: z.string().nullable() }),
    fiscalYears: z.array(FiscalYearSchema),
    categories: z.array(CategorySchema),
    capabilities: CapabilitiesSchema,
  })
  .register(apiSchemas, { id: 'Meta' });
export type Meta = z.infer<typeof MetaSchema>;

// --- persons ---------------------------------------------------------------------------------

const textShape = Object.fromEntries(
  Object.keys(PERSON_TEXT_FIELDS).map((key) => [key, text()]),
) as Record<PersonTextField, ReturnType<typeof text>>;
const dateShape = Object.fromEntries(
  Object.keys(PERSON_DATE_FIELDS).map((key) => [key, isoDate().nullable()]),
) as Record<PersonDateField, z.ZodNullable<z.ZodISODate>>;

const personDataShape = {
  ...textShape,
  ...dateShape,
  /** From `Geschlecht`; null when Optigem says "unknown" or holds a code the bridge does not know. */
  gender: z.enum(['male', 'female']).nullable(),
  /** Ids of the person's categories (`Personenkategorien.ID`), ascending. */
  categoryIds: z.array(z.int().nonnegative()),
};

export const PersonDataSchema = z.object(personDataShape);
export type PersonData = z.infer<typeof PersonDataSchema>;

export const CoupleSchema = z
  .object({
    /** The first names the record carries, split as a suggestion (e.g. `["Max", "Erika"]`). */
    firstNames: z.array(z.string()),
    /** Per first name, the sex the salutation tells ("Herr und Frau": male, female), else null. */
    sexes: z.array(z.enum(['male', 'female']).nullable()),
    /** high: two first names; medium: only the salutation names two people; confirmed: configured. */
    confidence: z.enum(['high', 'medium', 'confirmed']),
    /** Why: two first names (firstNames, firstNamesFamily), a salutation for two, or configuration. */
    reason: z.enum(['firstNames', 'firstNamesFamily', 'salutation', 'configured', 'corrected']),
  })
  .register(apiSchemas, {
    id: 'Couple',
    description: 'Set when one Optigem record stands for two people (e.g. Vorname "Max und Erika"). The record itself is never altered.',
  });
export type Couple = z.infer<typeof CoupleSchema>;

/** A ChurchTools person id as the sync sends it. */
const ChurchToolsIdSchema = z.string().regex(/^\d{1,18}$/, 'must be a ChurchTools person id (digits)');

export const PersonSchema = z
  .object({
    /** `Spender.Nr`, the Personen-Nr. Never 0: Donor 0 is not a person. */
    nr: z.int().positive(),
    ...personDataShape,
    archived: z.boolean(),
    couple: CoupleSchema.nullable(),
    lastModified: utcInstant().nullable(),
    lastModifiedSource: LastModifiedSourceSchema,
    /** The value the server sends as ETag; send it back as If-Match when writing. */
    etag: z.string(),
    /**
     * The ChurchTools person this one was created for (the bridge's own mapping, not an Optigem
     * column), so that a sync which lost the create's answer finds and links it; null otherwise.
     */
    churchToolsId: ChurchToolsIdSchema.nullable().optional(),
  })
  .register(apiSchemas, { id: 'Person' });
export type Person = z.infer<typeof PersonSchema>;

const optionalPersonShape = Object.fromEntries(
  Object.entries(personDataShape).map(([key, schema]) => [key, schema.optional()]),
) as { [K in keyof typeof personDataShape]: z.ZodOptional<(typeof personDataShape)[K]> };

export const PersonCreateSchema = z
  .strictObject({
    ...optionalPersonShape,
    lastName: z.string().min(1).max(MAX_TEXT),
    /** Remembered with the new person (see Person.churchToolsId). */
    churchToolsId: ChurchToolsIdSchema.optional(),
  })
  .register(apiSchemas, { id: 'PersonCreate' });
export type PersonCreate = z.infer<typeof PersonCreateSchema>;

export const PersonPatchSchema = z
  .strictObject({
    ...optionalPersonShape,
    /** Sets or (null) forgets the ChurchTools partner (see Person.churchToolsId); not Optigem content. */
    churchToolsId: ChurchToolsIdSchema.nullable().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'Send at least one field to change.' })
  .refine((patch) => patch.lastName !== null && patch.lastName !== '', {
    path: ['lastName'],
    message: 'Nachname cannot be empty.',
  })
  .register(apiSchemas, { id: 'PersonPatch' });
export type PersonPatch = z.infer<typeof PersonPatchSchema>;

// --- paging ----------------------------------------------------------------------------------

export const MAX_PAGE_SIZE = 1000;

export const ListQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(100),
  /** Only records changed at or after this instant (records whose change time is unknown are included). */
  updatedSince: z.iso.datetime({ offset: true }).optional(),
  /**
   * Keyed paging: only records whose key (person Nr, booking id) sorts after this one, in the
   * list's stable key order. With `after`, `page` is ignored; a delete or insert between two
   * pages can then neither skip nor repeat a record that existed throughout the read.
   */
  after: z.string().min(1).max(100).optional(),
});
/** What a client sends; the server fills in the defaults. */
export interface ListQuery {
  page?: number;
  limit?: number;
  updatedSince?: string;
  after?: string;
}

function pageOf<T extends z.ZodType>(item: T, id: string) {
  return z
    .object({
      items: z.array(item),
      page: z.int().min(1),
      limit: z.int().min(1),
      total: z.int().nonnegative(),
      hasMore: z.boolean(),
      /** The key to pass as `after` for the next page; null on the last page. */
      nextAfter: z.string().nullable(),
    })
    .register(apiSchemas, { id });
}

export const PersonPageSchema = pageOf(PersonSchema, 'PersonPage');
export type PersonPage = z.infer<typeof PersonPageSchema>;

export const CategoryListSchema = z.object({ items: z.array(CategorySchema) }).register(apiSchemas, { id: 'CategoryList' });

export const CoupleRecordSchema = z
  .object({ nr: z.int().positive(), ...CoupleSchema.shape, lastName: z.string().nullable() })
  .register(apiSchemas, { id: 'CoupleRecord' });
export type CoupleRecord = z.infer<typeof CoupleRecordSchema>;

export const CoupleListSchema = z
  .object({ items: z.array(CoupleRecordSchema) })
  .register(apiSchemas, {
    id: 'CoupleList',
    description: 'Every person record that stands for a couple (see Couple), archived ones included: their bookings still name them.',
  });
export type CoupleList = z.infer<typeof CoupleListSchema>;

// --- finance ---------------------------------------------------------------------------------

export const LedgerSideSchema = z
  .object({
    /** Hauptkonto (`SollHK` / `HabenHK`). */
    account: z.int().nonnegative(),
    /** Unterkonto (`SollUK` / `HabenUK`); on donation accounts the donor's Personen-Nr, 0 = none. */
    subAccount: z.int().nonnegative(),
    /** Projekt (`SollProj` / `HabenProj`); 0 = none. */
    project: z.int().nonnegative(),
  })
  .register(apiSchemas, { id: 'LedgerSide' });
export type LedgerSide = z.infer<typeof LedgerSideSchema>;

const bookingDataShape = {
  date: isoDate(),
  debit: LedgerSideSchema,
  credit: LedgerSideSchema,
  /** `Betrag` in cents (Optigem keeps euros). */
  amountCents: z.int().refine((n) => n !== 0, 'Betrag cannot be 0.'),
  text: text(),
  documentType: text(),
  documentNumber: text(),
  donationDate: isoDate().nullable(),
  /**
   * Zuwendungsart "Verzicht auf Erstattung von Aufwendungen" (a waiver of reimbursed expenses,
   * ChurchTools `isWaiverOfReimbursementOfExpenses`) [I column and value].
   */
  waiver: z.boolean(),
};

export const BookingSchema = z
  .object({
    id: z.string(),
    fiscalYear: z.int(),
    ...bookingDataShape,
    /** Personen-Nr on the donation side; null when there is none or it is Donor 0. */
    donorNr: z.int().positive().nullable(),
    /** The donation side points to sub-account 0 ("Spender 0"). */
    donor0: z.boolean(),
    lastModified: utcInstant().nullable(),
    lastModifiedSource: LastModifiedSourceSchema,
    etag: z.string(),
  })
  .register(apiSchemas, { id: 'Booking' });
export type Booking = z.infer<typeof BookingSchema>;

export const BookingCreateSchema = z
  .strictObject({
    date: bookingDataShape.date,
    debit: LedgerSideSchema,
    credit: LedgerSideSchema,
    amountCents: bookingDataShape.amountCents,
    text: bookingDataShape.text.optional(),
    documentType: bookingDataShape.documentType.optional(),
    documentNumber: bookingDataShape.documentNumber.optional(),
    donationDate: bookingDataShape.donationDate.optional(),
    waiver: bookingDataShape.waiver.default(false),
  })
  .register(apiSchemas, { id: 'BookingCreate' });
/** What a client sends (`waiver` may be left out); the server fills in the default. */
export type BookingCreate = z.input<typeof BookingCreateSchema>;

export const BookingPatchSchema = z
  .strictObject({
    date: bookingDataShape.date.optional(),
    debit: LedgerSideSchema.optional(),
    credit: LedgerSideSchema.optional(),
    amountCents: bookingDataShape.amountCents.optional(),
    text: bookingDataShape.text.optional(),
    documentType: bookingDataShape.documentType.optional(),
    documentNumber: bookingDataShape.documentNumber.optional(),
    donationDate: bookingDataShape.donationDate.optional(),
    waiver: bookingDataShape.waiver.optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'Send at least one field to change.' })
  .register(apiSchemas, { id: 'BookingPatch' });
export type BookingPatch = z.infer<typeof BookingPatchSchema>;

export const BookingPageSchema = pageOf(BookingSchema, 'BookingPage');
export type BookingPage = z.infer<typeof BookingPageSchema>;

export const AccountSchema = z
  .object({
    number: z.int().nonnegative(),
    name: z.string(),
    /** Optigem's Kontoart, e.g. `Spendenertrag 1` [I column]. */
    type: z.string().nullable(),
    /** Kontoart "Spendenertrag 1/2": the Unterkonto of a booking here is the donor [C]. */
    isDonationAccount: z.boolean(),
    /** Kontoart "Finanzkonto" (cash and bank) [I]: bookings carry no project on this side. */
    isFinancialAccount: z.boolean(),
  })
  .register(apiSchemas, { id: 'Account' });
export type Account = z.infer<typeof AccountSchema>;

export const ProjectSchema = z
  .object({ number: z.int().nonnegative(), name: z.string() })
  .register(apiSchemas, { id: 'Project' });
export type Project = z.infer<typeof ProjectSchema>;

export const AccountListSchema = z
  .object({ fiscalYear: z.int(), items: z.array(AccountSchema) })
  .register(apiSchemas, { id: 'AccountList' });
export type AccountList = z.infer<typeof AccountListSchema>;

export const FiscalYearListSchema = z
  .object({ items: z.array(FiscalYearSchema) })
  .register(apiSchemas, { id: 'FiscalYearList' });
export type FiscalYearList = z.infer<typeof FiscalYearListSchema>;

export const ProjectListSchema = z
  .object({ fiscalYear: z.int(), items: z.array(ProjectSchema) })
  .register(apiSchemas, { id: 'ProjectList' });
export type ProjectList = z.infer<typeof ProjectListSchema>;

export const Donor0ReportSchema = z
  .object({
    fiscalYear: z.int(),
    /** Optigem keeps a real person record with Nr 0; it must be cleaned up in Optigem [C]. */
    personRecordExists: z.boolean(),
    count: z.int().nonnegative(),
    totalCents: z.int(),
    bookings: z.array(BookingSchema),
  })
  .register(apiSchemas, {
    id: 'Donor0Report',
    description: 'Bookings of one fiscal year whose donation side points to sub-account 0 ("Spender 0").',
  });
export type Donor0Report = z.infer<typeof Donor0ReportSchema>;

// --- audit -----------------------------------------------------------------------------------

export const AuditEntrySchema = z
  .object({
    id: z.int().positive(),
    at: utcInstant(),
    tokenId: z.string(),
    tokenName: z.string(),
    action: z.enum(['create', 'update', 'archive', 'unarchive', 'delete']),
    entity: z.enum(['person', 'booking']),
    recordId: z.string(),
    oldValues: z.record(z.string(), z.unknown()).nullable(),
    newValues: z.record(z.string(), z.unknown()).nullable(),
  })
  .register(apiSchemas, { id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditListSchema = z
  .object({ items: z.array(AuditEntrySchema) })
  .register(apiSchemas, { id: 'AuditList' });
export type AuditList = z.infer<typeof AuditListSchema>;

export const AuditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(100),
  entity: z.enum(['person', 'booking']).optional(),
  recordId: z.string().max(100).optional(),
});

// --- nightly runs ----------------------------------------------------------------------------

const MessageSchema = z.object({ key: z.string(), args: z.record(z.string(), z.union([z.string(), z.number()])).optional() });

export const NightlyResultSchema = z
  .object({
    jobId: z.string(),
    jobName: z.string(),
    executionId: z.string().nullable(),
    status: z.enum(['running', 'succeeded', 'finishedWithErrors', 'refused', 'cancelled', 'failed', 'incomplete', 'skipped', 'locked', 'error']),
    at: utcInstant(),
    reason: z.string().optional(),
    refusal: MessageSchema.optional(),
    heldBack: z.object({ count: z.int().nonnegative(), message: MessageSchema }).optional(),
    trigger: z.enum(['window', 'resume', 'runNow']).optional(),
  })
  .register(apiSchemas, { id: 'NightlyResult' });

export const NightlyStatusSchema = z
  .object({
    enabled: z.boolean(),
    nextRun: utcInstant().nullable(),
    busy: z.boolean(),
    window: z.object({ start: z.string(), end: z.string() }).nullable(),
    timeZone: z.string().nullable(),
    lastResults: z.array(NightlyResultSchema),
  })
  .register(apiSchemas, { id: 'NightlyStatus', description: 'The nightly runner with the reasons of its last results (needs a token: reasons name jobs and people).' });
export type NightlyStatusBody = z.infer<typeof NightlyStatusSchema>;

export const NightlyRunSchema = z
  .strictObject({ job: z.string().min(1).max(200).optional() })
  .register(apiSchemas, { id: 'NightlyRun', description: 'Run now: every job with automatic execution, or the one named (id or name).' });

export const NightlyStartedSchema = z
  .object({ started: z.array(z.object({ id: z.string(), name: z.string() })) })
  .register(apiSchemas, { id: 'NightlyStarted' });

// --- path parameters -------------------------------------------------------------------------

export const PersonParamsSchema = z.object({ nr: z.coerce.number().int().positive() });
export const FiscalYearParamsSchema = z.object({ year: z.coerce.number().int().min(1900).max(2999) });
export const BookingParamsSchema = FiscalYearParamsSchema.extend({ id: z.string().regex(/^[0-9A-Za-z_-]{1,64}$/) });
