/**
 * Couple pairs (DESIGN §2): an Optigem couple record ("Herr und Frau Max und Erika Muster")
 * pairs with the two ChurchTools spouses it stands for, never with one of them alone. A step
 * of its own, before linking and creating: it takes every couple record and the spouses it
 * finds, so that the ordinary steps neither link a couple record to one person, nor import it
 * as one "Max und Erika" person, nor export a spouse as a second Optigem record.
 *
 * Each spouse is found by the usual matching on names (the record's last name with one of the
 * detected first names); the shared address decides between namesakes, and a spouse named by
 * the salutation only ("Herr und Frau Tobias Mayer") is the ChurchTools spouse of the one found.
 * Link makes the couple pair of spouses who both exist; import creates the missing ones (first
 * name, the record's last name, address and other shared fields, sex from the salutation) and
 * links them with ChurchTools' Spouse relationship. Couple records are never written to.
 */
import { isEmptyValue } from './canonical.ts';
import { coupleOfRecord, OG_COUPLE_FIELDS, type CoupleDetection } from './couples.ts';
import { translate } from './mapping.ts';
import type { PersonIdentity } from './matching.ts';
import type { FieldValue, Pair, SyncRecord } from './model.ts';
import { normalizeName } from './normalize.ts';
import type { CoupleSpouse } from './plan.ts';
import type { PlanBuilder } from './plan-builder.ts';

/**
 * Fields of one person that a couple record cannot give each spouse: the record's first name
 * holds both names, its birthday and sex are one spouse's at best. [I] The e-mail of a couple
 * record is usually the household's; it goes to the first-named spouse only.
 */
const INDIVIDUAL = new Set<string>([OG_COUPLE_FIELDS.firstName, OG_COUPLE_FIELDS.gender, 'Geburtsdatum', 'Telefon mobil', 'Titel']);
const FIRST_SPOUSE_ONLY = new Set<string>(['EMail']);

/** Where ChurchTools keeps the address used to tell namesakes apart, unless a property pair says otherwise. */
const ADDRESS = [
  { optigem: 'Straße', churchtools: 'street' },
  { optigem: 'PLZ', churchtools: 'zip' },
] as const;

type Found = { readonly kind: 'found'; readonly record: SyncRecord } | { readonly kind: 'none' } | { readonly kind: 'ambiguous'; readonly candidates: readonly SyncRecord[] };

/** Whether an Optigem record is a couple record (detection with the admin's corrections), asked once per record. */
export function isCoupleRecord(b: PlanBuilder, record: SyncRecord): boolean {
  const known = coupleRecords.get(b);
  if (known) return known.has(record.id);
  return coupleOfRecord(record, b.input.coupleCorrections) !== null;
}

/**
 * The ids of the couple records of a plan, once planCouples has looked at every Optigem record:
 * maintaining pairs asks again for each pair, and detection would run twice per record.
 */
const coupleRecords = new WeakMap<PlanBuilder, Set<string>>();

export function planCouples(b: PlanBuilder): void {
  const actions = b.selectedActions();
  // Built at the first couple: most plans have none, and a first sync has 10,000 pairs.
  let pairsOf: Map<string, Pair[]> | null = null;
  const spouses = b.input.references?.churchtools.spouses ?? {};
  const couples = new Set<string>();
  coupleRecords.set(b, couples);
  for (const record of b.sorted('optigem')) {
    const couple = coupleOfRecord(record, b.input.coupleCorrections);
    if (!couple) continue;
    couples.add(record.id);
    pairsOf ??= pairsByOptigemId(b.input.pairs);
    const existing = pairsOf.get(record.id) ?? [];
    // A couple pair made before: the spouses are taken through their pairs already.
    if (existing.some((pair) => pair.sp !== undefined)) continue;
    // Whatever happens below, the record is no candidate for a single link or import; spouses
    // are only looked for in complete reads (a missing page could hide one).
    b.taken.optigem.add(record.id);
    if (!record.archived && b.complete.churchtools && b.complete.optigem) planCouple(b, record, couple, existing, spouses, actions);
  }
}

function pairsByOptigemId(pairs: readonly Pair[]): Map<string, Pair[]> {
  const pairsOf = new Map<string, Pair[]>();
  for (const pair of pairs) {
    const list = pairsOf.get(pair.og);
    if (list) list.push(pair);
    else pairsOf.set(pair.og, [pair]);
  }
  return pairsOf;
}

function planCouple(
  b: PlanBuilder,
  record: SyncRecord,
  couple: CoupleDetection,
  existing: readonly Pair[],
  spouses: Readonly<Record<string, string>>,
  actions: ReadonlySet<string>,
): void {
  const label = b.label('optigem', record, record.id);
  const note = (key: string, level: 'info' | 'warning', args: Record<string, string> = {}): void => {
    b.note({ action: 'link', type: 'skip', system: 'both', ctId: null, ogId: record.id, label, level, message: { key, args } });
  };
  // Linked to one person alone before couple pairs existed: only a spouse of the couple may keep it.
  const alone = existing.find((pair) => pair.status !== 'deleted');
  const own = (id: string) => alone?.ct === id;
  const lastName = text(record.properties[OG_COUPLE_FIELDS.lastName]);
  if (lastName === '') return;

  const names = couple.firstNames.slice(0, 2);
  const found: Found[] = names.map((first) => findSpouse(b, record, first, lastName, own));
  for (const [i, result] of found.entries()) {
    if (result.kind === 'ambiguous') {
      note('log.couple.ambiguous', 'warning', { firstName: names[i] ?? '', candidates: result.candidates.map((c) => `${b.label('churchtools', c, c.id)} (#${c.id})`).join('; ') });
      return;
    }
  }
  const first = found[0]?.kind === 'found' ? found[0].record : null;
  let second = found[1]?.kind === 'found' ? found[1].record : null;
  // A spouse the salutation names but Vorname does not: the first one's ChurchTools spouse.
  if (names.length < 2 && first) {
    const partner = b.byId.churchtools.get(spouses[first.id] ?? '');
    if (partner && !partner.archived && (!b.taken.churchtools.has(partner.id) || own(partner.id))) second = partner;
  }
  if (names.length === 0 && !first) return note('log.couple.noNames', 'warning');
  if (first && second && first.id === second.id) second = null;
  if (alone && alone.ct !== first?.id && alone.ct !== second?.id) {
    return note('log.couple.linkedAlone', 'warning', { person: `${b.label('churchtools', b.byId.churchtools.get(alone.ct), alone.ct)} (#${alone.ct})` });
  }
  for (const spouse of [first, second]) if (spouse) b.taken.churchtools.add(spouse.id);

  const missing = (first ? 0 : 1) + (second ? 0 : 1);
  // Spouses an interrupted split already created carry the record's Nr as their partner id: an
  // import finishes its own split (pairs them) even without "link & unify".
  const resumesSplit = actions.has('import') && [first, second].every((s) => s !== null && s.partnerHint === record.id);
  const canLink = resumesSplit || (actions.has('link') && (b.meets('optigem', record) || [first, second].some((s) => s !== null && b.meets('churchtools', s))));
  const canCreate = actions.has('import') && b.meets('optigem', record);
  if (missing > 0 && !canCreate) {
    if (actions.has('link') || actions.has('import')) note('log.couple.incomplete', 'info', { missing: String(missing) });
    return;
  }
  if (missing === 0 && !canLink) return;
  if (names.length < 2 && missing > 0) return note('log.couple.secondUnknown', 'warning');

  const planned: CoupleSpouse[] = [];
  const labels: string[] = [];
  for (let i = 0; i < 2; i++) {
    const person = i === 0 ? first : second;
    if (person) {
      planned.push({ ct: person.id });
      labels.push(b.label('churchtools', person, person.id));
      continue;
    }
    const values = spouseValues(b, record, names[i] ?? '', lastName, couple.sexes[i] ?? null, i === 0);
    if (values === null) return;
    const spouseLabel = `${names[i] ?? ''} ${lastName}`.trim();
    planned.push({ values });
    labels.push(spouseLabel);
  }
  const relate = !(first && second && spouses[first.id] === second.id);
  const created = missing > 0;
  b.operation(
    { op: 'couple', action: created ? 'import' : 'link', og: record.id, spouses: [planned[0] as CoupleSpouse, planned[1] as CoupleSpouse], relate },
    {
      action: created ? 'import' : 'link',
      type: created ? 'create' : 'link',
      system: created ? 'churchtools' : 'both',
      ctId: first?.id ?? second?.id ?? null,
      ogId: record.id,
      label,
      level: 'info',
      changes: planned.flatMap((spouse, i) =>
        'values' in spouse ? Object.entries(spouse.values).map(([field, value]) => ({ field: `${labels[i]}: ${field}`, oldValue: null, newValue: value })) : [],
      ),
      message: { key: created ? 'log.couple.split' : relate ? 'log.couple.linkedRelated' : 'log.couple.linked', args: { spouses: labels.join(' + ') } },
    },
  );
}

function text(value: FieldValue | undefined): string {
  return typeof value === 'string' ? value.trim() : '';
}

/**
 * The ChurchTools person with this first name and the record's last name, not paired with
 * anyone else; namesakes are told apart by the record's address.
 */
function findSpouse(b: PlanBuilder, record: SyncRecord, firstName: string, lastName: string, own: (id: string) => boolean): Found {
  const first = normalizeName(firstName);
  const last = normalizeName(lastName);
  const identity: PersonIdentity = { key: `${first}\u0001${last}`, first, last, email: null, birthday: null, name: -1 };
  const excluded = { has: (id: string) => (b.taken.churchtools.has(id) && !own(id)) || b.byId.churchtools.get(id)?.archived === true };
  const result = b.people('churchtools').find(identity, excluded);
  if (result.kind === 'none') return result;
  if (result.kind === 'unique') return { kind: 'found', record: result.record };
  const sameAddress = result.candidates.filter((candidate) => sharesAddress(b, record, candidate));
  return sameAddress.length === 1 ? { kind: 'found', record: sameAddress[0] as SyncRecord } : { kind: 'ambiguous', candidates: result.candidates };
}

function sharesAddress(b: PlanBuilder, record: SyncRecord, person: SyncRecord): boolean {
  return ADDRESS.every((field) => {
    const ctField = b.input.propertyPairs.find((pair) => pair.domain === 'person' && pair.optigem === field.optigem)?.churchtools ?? field.churchtools;
    const og = text(record.properties[field.optigem]);
    return og !== '' && normalizeName(og) === normalizeName(text(person.properties[ctField]));
  });
}

/**
 * A new spouse: the job's selected properties of the couple record that both spouses share,
 * translated as for any import, then the spouse's own first name, the record's last name, the
 * sex the salutation tells, and the import's creation defaults. Null when a value blocks.
 */
function spouseValues(b: PlanBuilder, record: SyncRecord, firstName: string, lastName: string, sex: 'male' | 'female' | null, firstSpouse: boolean): Record<string, FieldValue> | null {
  const values: Record<string, FieldValue> = {};
  const lists = new Set(b.input.listFields?.churchtools ?? []);
  let blocked = false;
  for (const pair of b.selected) {
    if (INDIVIDUAL.has(pair.optigem) || (!firstSpouse && FIRST_SPOUSE_ONLY.has(pair.optigem))) continue;
    const value = record.properties[pair.optigem];
    if (isEmptyValue(value)) continue;
    const translation = translate(pair, 'optigem', value, lists.has(pair.churchtools) ? [] : undefined);
    if (translation.kind === 'block') {
      b.blocker(
        { key: 'blocker.unmappedValue', args: { system: 'optigem', field: pair.optigem, value: translation.sourceValue, propertyPair: pair.key } },
        `${pair.key}|optigem|${translation.sourceValue}`,
      );
      blocked = true;
    } else if (translation.kind === 'value') {
      values[pair.churchtools] = translation.value;
    }
  }
  if (blocked) return null;
  const identity = b.input.identity.churchtools;
  values[identity.firstName] = firstName;
  values[identity.lastName] = lastName;
  const sexPair = b.selected.find((pair) => pair.optigem === OG_COUPLE_FIELDS.gender);
  if (sex && sexPair) {
    const translation = translate(sexPair, 'optigem', sex, undefined);
    if (translation.kind === 'value') values[sexPair.churchtools] = translation.value;
  }
  Object.assign(values, b.job.actions.import?.defaults ?? {});
  return values;
}
