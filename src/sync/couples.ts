/**
 * Couple records: one Optigem record that stands for two people ("Herr und Frau Max und Erika
 * Muster", optigem.md §3.2 and summary item 8). Recognised from Optigem's own fields only; the
 * record itself is never changed. Shared by the bridge (its `couple` flag and `GET /v1/couples`)
 * and the engine (couple pairs), so both say the same about a record. Pure: no I/O.
 *
 * [I] The rules are inferred from how Optigem users write couples (reference §3.2):
 * - two first names joined by "und", "u.", "&" or "+" in Vorname: a couple, confidence high;
 * - an Anrede or Briefanrede that names two people ("Herr und Frau", "Frau und Herr",
 *   "Eheleute", "Ehepaar"): a couple, confidence medium when Vorname holds one name or none;
 * - "Familie" alone is no evidence: "Frau Anna Schmidt" with Briefanrede "Liebe Familie Schmidt"
 *   is one person. It only adds to two first names.
 * The spouse link Optigem keeps ("Familienadressierung") is not exposed by the bridge's store,
 * so it cannot be used here.
 */

export type CoupleConfidence = 'high' | 'medium' | 'confirmed';

/** Why a record counts as a couple; an i18n key suffix (`couple.reason.<reason>`). */
export type CoupleReason = 'firstNames' | 'firstNamesFamily' | 'salutation' | 'configured' | 'corrected';

export type SpouseSex = 'male' | 'female' | null;

export interface CoupleDetection {
  /** The first names as split (usually two; one or none when only the salutation tells). */
  readonly firstNames: readonly string[];
  /** Per first name, the sex the salutation tells ("Herr und Frau": male, female). */
  readonly sexes: readonly SpouseSex[];
  readonly confidence: CoupleConfidence;
  readonly reason: CoupleReason;
}

export interface CoupleRules {
  /** Regex (source, case-insensitive) between two first names. */
  readonly firstNameSeparator: string;
  /** Regexes (source, case-insensitive) on Anrede/Briefanrede that name two people. */
  readonly salutationPatterns: readonly string[];
  /** Record ids always taken as couples / never as couples. */
  readonly couples: readonly (string | number)[];
  readonly singles: readonly (string | number)[];
}

export const DEFAULT_COUPLE_RULES: CoupleRules = {
  firstNameSeparator: '\\s*(?:\\s(?:und|u\\.)\\s|&|\\+)\\s*',
  salutationPatterns: ['\\bHerrn? und Frau\\b', '\\bFrau und Herrn?\\b', '\\bEheleute\\b', '\\bEhepaar\\b'],
  couples: [],
  singles: [],
};

export interface CoupleFields {
  readonly salutation: string | null;
  readonly firstName: string | null;
  readonly letterSalutation: string | null;
}

export type CoupleDetector = (id: string | number, fields: CoupleFields) => CoupleDetection | null;

const FAMILY = /\bFamilie\b/iu;
const HUSBAND_FIRST = /\bHerrn? und Frau\b/iu;
const WIFE_FIRST = /\bFrau und Herrn?\b/iu;

function sexesOf(salutation: string | null, count: number): SpouseSex[] {
  const order: SpouseSex[] = salutation && HUSBAND_FIRST.test(salutation) ? ['male', 'female'] : salutation && WIFE_FIRST.test(salutation) ? ['female', 'male'] : [null, null];
  return Array.from({ length: Math.max(count, 2) }, (_, i) => order[i] ?? null);
}

export function coupleDetector(rules: CoupleRules = DEFAULT_COUPLE_RULES): CoupleDetector {
  const separator = new RegExp(rules.firstNameSeparator, 'iu');
  const salutations = rules.salutationPatterns.map((source) => new RegExp(source, 'iu'));
  const couples = new Set(rules.couples.map(String));
  const singles = new Set(rules.singles.map(String));
  const forTwoOf = (salutation: string | null): string | null => (salutation && salutations.some((pattern) => pattern.test(salutation)) ? salutation : null);
  return (id, fields) => {
    const key = String(id);
    if (singles.has(key)) return null;
    // Most records name one person and no couple: for them no list of names or sexes is built
    // (detection runs for every Optigem record of every plan).
    const first = fields.firstName ?? '';
    const firstNames = separator.test(first) ? first.split(separator).map((name) => name.trim()).filter((name) => name !== '') : null;
    const forTwo = forTwoOf(fields.salutation) ?? forTwoOf(fields.letterSalutation);
    if (firstNames && firstNames.length >= 2) {
      const family = [fields.salutation, fields.letterSalutation].some((s) => s !== null && s !== '' && FAMILY.test(s));
      return { firstNames, sexes: sexesOf(forTwo, firstNames.length), confidence: 'high', reason: family && forTwo === null ? 'firstNamesFamily' : 'firstNames' };
    }
    if (forTwo === null && !couples.has(key)) return null;
    const names = firstNames ?? (first.trim() === '' ? [] : [first.trim()]);
    const sexes = sexesOf(forTwo, names.length);
    if (forTwo !== null) return { firstNames: names, sexes, confidence: 'medium', reason: 'salutation' };
    return { firstNames: names, sexes, confidence: 'confirmed', reason: 'configured' };
  };
}

/** An admin's correction of one detection, kept per connection. */
export type CoupleCorrection =
  | { readonly og: string; readonly kind: 'single' }
  | { readonly og: string; readonly kind: 'couple'; readonly firstNames: readonly [string, string] };

/** The detection after the admin's word: "not a couple" removes it, "these two first names" replaces the names. */
export function corrected(detection: CoupleDetection | null, correction: CoupleCorrection | undefined, salutation: string | null = null): CoupleDetection | null {
  if (!correction) return detection;
  if (correction.kind === 'single') return null;
  const sexes = detection && detection.firstNames.length >= 2 ? detection.sexes : sexesOf(salutation, 2);
  return { firstNames: [...correction.firstNames], sexes, confidence: 'confirmed', reason: 'corrected' };
}

/** Optigem's names of the fields detection reads (src/optigem/fields.ts), as the engine sees them. */
export const OG_COUPLE_FIELDS = { salutation: 'Anrede', firstName: 'Vorname', lastName: 'Nachname', letterSalutation: 'Briefanrede', gender: 'Geschlecht' } as const;

const defaultDetector = coupleDetector();

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** Detection on an Optigem record as the engine reads it, with the admin's corrections. */
export function coupleOfRecord(
  record: { readonly id: string; readonly properties: Readonly<Record<string, unknown>> },
  corrections: ReadonlyMap<string, CoupleCorrection> | undefined,
  detector: CoupleDetector = defaultDetector,
): CoupleDetection | null {
  const p = record.properties;
  const salutation = text(p[OG_COUPLE_FIELDS.salutation]);
  const fields = { salutation, firstName: text(p[OG_COUPLE_FIELDS.firstName]), letterSalutation: text(p[OG_COUPLE_FIELDS.letterSalutation]) };
  return corrected(detector(record.id, fields), corrections?.get(record.id), salutation);
}
