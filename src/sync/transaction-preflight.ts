/**
 * Pre-flight of a transaction job (issues #6, #15): before anything is planned, the scope must exist
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

/** Donors and references are listed one by one up to this many, then summed up. */
const LISTED_PER_KIND = 50;

const VALUE_WRITES: Readonly<Record<SystemId, readonly ActionId[]>> = {
  churchtools: ['link', 'import', 'updateProperties', 'importProperties'],
  optigem: ['link', 'export', 'updateProperties', 'exportProperties'],
};
const DELETES: Readonly<Record<SystemId, ActionId>> = { churchtools: 'deleteInChurchTools', optigem: 'deleteInOptigem' };

/**
 * Collects every blocker of every kind in one pass (scope, writability, references, donors), so
 * one simulation lists all that stands in the way. A side whose scope is wrong has no reference
 * lists to check against; the other checks still run. Returns false when a scope is wrong:
 * then there is nothing sensible to plan.
 */
export function preflight(b: PlanBuilder, references: Readonly<Record<SystemId, ReferenceData>>, values: BookingValues): boolean {
  const fiscalYear = b.job.scope?.['fiscalYear'] ?? '';
  for (const system of SYSTEMS) {
    for (const problem of references[system].problems) b.blocker(problem, `preflight|${problem.key}|${JSON.stringify(problem.args ?? {})}`);
  }
  const scopeOk = (system: SystemId) => references[system].problems.length === 0;

  const actions = b.selectedActions();
  const writesValues = (target: SystemId) => VALUE_WRITES[target].some((action) => actions.has(action));
  for (const system of SYSTEMS) {
    if (scopeOk(system) && (writesValues(system) || actions.has(DELETES[system])) && !references[system].writable) {
      b.blocker({ key: 'blocker.preflight.notWritable', args: { system, fiscalYear } }, `preflight|writable|${system}`);
    }
  }

  for (const target of SYSTEMS) {
    if (writesValues(target)) checkValuesFor(b, values, otherSystem(target), target, scopeOk(target) ? references[target] : null);
  }
  noteDonor0(b);
  return SYSTEMS.every(scopeOk);
}

/** `known` is null when the target's scope is wrong: then only the donors can be checked. */
function checkValuesFor(b: PlanBuilder, values: BookingValues, source: SystemId, target: SystemId, known: ReferenceData | null): void {
  const referencePairs = known ? b.selected.filter((pair) => pair.role !== 'donor' && known.known[pair[target]] !== undefined) : [];
  const donorPair = b.selected.find((pair) => pair.role === 'donor');
  const sets = new Map(referencePairs.map((pair) => [pair.key, new Set(known?.known[pair[target]])]));
  const missing = new Map<string, { pair: PropertyPair; value: string; count: number; example: string }>();
  // One blocker per donor (not per booking): linking that person fixes all of its bookings.
  const unlinked = new Map<string, { label: string; count: number }>();

  const records = values.records[source];
  const columns = referencePairs.map((pair) => values.column(source, pair));
  const donors = donorPair ? values.column(source, donorPair) : null;
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as SyncRecord;
    if (!b.meets(source, record)) continue;
    for (let p = 0; p < referencePairs.length; p++) {
      const pair = referencePairs[p] as PropertyPair;
      const text = (columns[p] as readonly string[])[i] as string;
      if (text === '' || sets.get(pair.key)?.has(text)) continue;
      const id = `${pair.key}|${text}`;
      const seen = missing.get(id);
      if (seen) seen.count++;
      else missing.set(id, { pair, value: text, count: 1, example: b.label(source, record, record.id) });
    }
    if (donorPair && donors) {
      const donor = record.properties[donorPair[source]];
      if (!isEmptyValue(donor) && (donors[i] as string).startsWith('\u0000')) {
        const seen = unlinked.get(String(donor));
        if (seen) seen.count++;
        else unlinked.set(String(donor), { label: b.label(source, record, record.id), count: 1 });
      }
    }
  }

  for (const { pair, value, count, example } of missing.values()) {
    b.blocker(
      { key: 'blocker.preflight.unknownReference', args: { system: target, field: pair[target], value, count, example, fiscalYear: b.job.scope?.['fiscalYear'] ?? '' } },
      `preflight|ref|${target}|${pair.key}|${value}`,
    );
  }
  const unlinkedDonors = [...unlinked.entries()];
  for (const [donor, { label, count }] of unlinkedDonors.slice(0, LISTED_PER_KIND)) {
    b.blocker({ key: 'blocker.preflight.donorNotLinked', args: { system: source, donor, booking: label, bookings: count } }, `preflight|donor|${source}|${donor}`);
  }
  const rest = unlinkedDonors.slice(LISTED_PER_KIND).reduce((sum, [, { count }]) => sum + count, 0);
  if (rest > 0) {
    b.blocker({ key: 'blocker.preflight.moreDonorsNotLinked', args: { system: source, count: rest, donors: unlinkedDonors.length - LISTED_PER_KIND } }, `preflight|donor|${source}|more`);
  }
}

/** Donor 0 ("Spender 0") bookings: listed, never blocking; ChurchTools gets them without donor. */
function noteDonor0(b: PlanBuilder): void {
  let count = 0;
  let cents = 0;
  for (const record of b.sorted('optigem')) {
    if (record.properties[OG_BOOKING_FIELDS.donor0] !== true || !b.meets('optigem', record)) continue;
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
