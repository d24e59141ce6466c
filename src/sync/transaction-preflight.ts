/**
 * Pre-flight of a transaction job (issue #6): before anything is planned, the scope must exist
 * on both sides and be writable where the job writes; every account, cost centre and project a
 * selected booking names must exist on the side it is written to; every donor must be linked
 * through a person pair. Each problem becomes a blocker naming the booking or value, so a job
 * that fails pre-flight writes nothing. Donor 0 bookings are listed with their count and sum.
 */
import { isEmptyValue } from './canonical.ts';
import type { ActionId, PropertyPair, SyncRecord, SystemId } from './model.ts';
import { SYSTEMS, otherSystem } from './model.ts';
import type { PlanBuilder } from './plan-builder.ts';
import type { ReferenceData } from './ports.ts';
import { OG_BOOKING_FIELDS } from './transaction-fields.ts';
import type { BookingValues } from './transaction-planner.ts';

/** Per-booking problems are listed one by one up to this many, then summed up. */
const LISTED_PER_KIND = 50;

const VALUE_WRITES: Readonly<Record<SystemId, readonly ActionId[]>> = {
  churchtools: ['link', 'import', 'updateProperties', 'importProperties'],
  optigem: ['link', 'export', 'updateProperties', 'exportProperties'],
};
const DELETES: Readonly<Record<SystemId, ActionId>> = { churchtools: 'deleteInChurchTools', optigem: 'deleteInOptigem' };

/** Returns false when the scope itself is wrong: then there is nothing sensible to plan. */
export function preflight(b: PlanBuilder, references: Readonly<Record<SystemId, ReferenceData>>, values: BookingValues): boolean {
  const fiscalYear = b.job.scope?.['fiscalYear'] ?? '';
  for (const system of SYSTEMS) {
    for (const problem of references[system].problems) b.blocker(problem, `preflight|${problem.key}|${JSON.stringify(problem.args ?? {})}`);
  }
  if (b.blockers.length > 0) return false;

  const actions = b.selectedActions();
  const writesValues = (target: SystemId) => VALUE_WRITES[target].some((action) => actions.has(action));
  for (const system of SYSTEMS) {
    if ((writesValues(system) || actions.has(DELETES[system])) && !references[system].writable) {
      b.blocker({ key: 'blocker.preflight.notWritable', args: { system, fiscalYear } }, `preflight|writable|${system}`);
    }
  }

  for (const target of SYSTEMS) {
    if (writesValues(target)) checkValuesFor(b, values, otherSystem(target), target, references[target]);
  }
  noteDonor0(b);
  return true;
}

/** The bookings of `source` that the job selects: those meeting its conditions. */
function selected(b: PlanBuilder, source: SystemId): SyncRecord[] {
  return b.sorted(source).filter((record) => b.meets(source, record));
}

function checkValuesFor(b: PlanBuilder, values: BookingValues, source: SystemId, target: SystemId, known: ReferenceData): void {
  const referencePairs = b.selected.filter((pair) => pair.role !== 'donor' && known.known[pair[target]] !== undefined);
  const donorPair = b.selected.find((pair) => pair.role === 'donor');
  const sets = new Map(referencePairs.map((pair) => [pair.key, new Set(known.known[pair[target]])]));
  const missing = new Map<string, { pair: PropertyPair; value: string; count: number; example: string }>();
  const unlinked: { label: string; donor: string }[] = [];

  for (const record of selected(b, source)) {
    for (const pair of referencePairs) {
      const text = values.of(record, source, pair);
      if (text === '' || sets.get(pair.key)?.has(text)) continue;
      const id = `${pair.key}|${text}`;
      const seen = missing.get(id);
      if (seen) seen.count++;
      else missing.set(id, { pair, value: text, count: 1, example: b.label(source, record, record.id) });
    }
    if (donorPair) {
      const donor = record.properties[donorPair[source]];
      if (!isEmptyValue(donor) && values.of(record, source, donorPair).startsWith('\u0000')) {
        unlinked.push({ label: b.label(source, record, record.id), donor: String(donor) });
      }
    }
  }

  for (const { pair, value, count, example } of missing.values()) {
    b.blocker(
      { key: 'blocker.preflight.unknownReference', args: { system: target, field: pair[target], value, count, example, fiscalYear: b.job.scope?.['fiscalYear'] ?? '' } },
      `preflight|ref|${target}|${pair.key}|${value}`,
    );
  }
  unlinked.slice(0, LISTED_PER_KIND).forEach(({ label, donor }, index) => {
    b.blocker({ key: 'blocker.preflight.donorNotLinked', args: { system: source, donor, booking: label } }, `preflight|donor|${source}|${index}`);
  });
  if (unlinked.length > LISTED_PER_KIND) {
    b.blocker({ key: 'blocker.preflight.moreDonorsNotLinked', args: { system: source, count: unlinked.length - LISTED_PER_KIND } }, `preflight|donor|${source}|more`);
  }
}

/** Donor 0 ("Spender 0") bookings: listed, never blocking; ChurchTools gets them without donor. */
function noteDonor0(b: PlanBuilder): void {
  let count = 0;
  let cents = 0;
  for (const record of selected(b, 'optigem')) {
    if (record.properties[OG_BOOKING_FIELDS.donor0] !== true) continue;
    count++;
    const amount = record.properties[OG_BOOKING_FIELDS.amount];
    if (typeof amount === 'number') cents += amount;
  }
  if (count === 0) return;
  b.note({
    action: 'preflight',
    type: 'skip',
    system: 'optigem',
    ctId: null,
    ogId: null,
    label: '',
    level: 'warning',
    message: { key: 'log.preflight.donor0', args: { count, sumCents: cents } },
  });
}
