/**
 * The person fields the bridge API knows, and the Optigem name of each. The API speaks stable
 * English camelCase (reference §2.4); the sync engine and the UI speak Optigem's own names
 * (`Vorname`, `EMail`, …) because that is what admins see in Optigem. This table is the one
 * place that joins the two. Browser-safe: no Node imports.
 *
 * Names tagged [C] are confirmed by public code reading Optigem's `Spender` table (reference
 * §1.2); [I] names are inferred and can be remapped in the bridge store's configuration.
 */

export const PERSON_TEXT_FIELDS = {
  salutation: 'Anrede', // [I] column not seen in public code, very likely exists
  title: 'Titel', // [C]
  firstName: 'Vorname', // [C]
  lastName: 'Nachname', // [C]
  letterSalutation: 'Briefanrede', // [C]
  street: 'Straße', // [C]
  addressAddition: 'Zusatzort', // [C] column; [I] meaning
  zip: 'PLZ', // [C]
  city: 'Ort', // [C]
  country: 'Land', // [C]
  phoneEvening: 'Telefon abends', // [C]
  mobile: 'Telefon mobil', // [C]
  fax: 'Telefax', // [C]
  email: 'EMail', // [C]
} as const;

/** Date columns; values travel as `YYYY-MM-DD`. */
export const PERSON_DATE_FIELDS = {
  birthday: 'Geburtsdatum', // [C]
  membershipStart: 'Beginn Mitgliedschaft', // [C]
  membershipEnd: 'Ende Mitgliedschaft', // [C]
} as const;

export const PERSON_GENDER_FIELD = { gender: 'Geschlecht' } as const; // [C] column; [I] codes

/** Categories come from `[Personen-Kategorie-Zuordnung]`; the engine sees them as one multi-valued field. */
export const PERSON_CATEGORY_FIELD = { categoryIds: 'Kategorien' } as const;

export type PersonTextField = keyof typeof PERSON_TEXT_FIELDS;
export type PersonDateField = keyof typeof PERSON_DATE_FIELDS;
export type PersonField = PersonTextField | PersonDateField | 'gender' | 'categoryIds';

/** API field → Optigem name, for every writable person field. */
export const OPTIGEM_PERSON_FIELDS: Readonly<Record<PersonField, string>> = {
  ...PERSON_TEXT_FIELDS,
  ...PERSON_DATE_FIELDS,
  ...PERSON_GENDER_FIELD,
  ...PERSON_CATEGORY_FIELD,
};

export const PERSON_FIELDS = Object.keys(OPTIGEM_PERSON_FIELDS) as PersonField[];

const BY_OPTIGEM_NAME = new Map<string, PersonField>(
  PERSON_FIELDS.map((field) => [OPTIGEM_PERSON_FIELDS[field], field]),
);

/** The API field for an Optigem name, or undefined when the bridge does not know it. */
export function personFieldOf(optigemName: string): PersonField | undefined {
  return BY_OPTIGEM_NAME.get(optigemName);
}

/** The Optigem name of the person number (`Spender.Nr`) [C]. */
export const OPTIGEM_PERSON_NR = 'Nr';
