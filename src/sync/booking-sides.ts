/**
 * Connections stored before issue #11 map Optigem's ledger sides to ChurchTools the wrong way
 * round (Soll ↔ `contraAccountId`, Haben ↔ `accountId`). Against a real ChurchTools that books
 * imported donations backwards and never links a booking entered there to its Optigem twin, so
 * such a connection is recognised here, and switched only when the admin asks for it.
 */
import type { Job, PropertyPair } from './model.ts';
import { CT_TRANSACTION_FIELDS as CT, OG_BOOKING_FIELDS as OG } from './transaction-fields.ts';

/** The ChurchTools field each Optigem side belongs to (ChurchTools Academy, "Zwecke"). */
const RIGHT_SIDE: Readonly<Record<string, string>> = { [OG.debitAccount]: CT.account, [OG.creditAccount]: CT.contraAccount };
/** The old, reversed mapping: the ChurchTools field each Optigem side was paired with. */
const OLD_SIDE: Readonly<Record<string, string>> = { [OG.debitAccount]: CT.contraAccount, [OG.creditAccount]: CT.account };
/** Keys the switched pairs take, so a fingerprint baseline of the old sides is never reused. */
const NEW_KEY: Readonly<Record<string, string>> = { [OG.debitAccount]: 'tk', [OG.creditAccount]: 'tg' };

/** The connection's transaction pairs that carry the old, reversed sides; empty when all is right. */
export function reversedBookingSides(pairs: readonly PropertyPair[]): PropertyPair[] {
  return pairs.filter((pair) => pair.domain === 'transaction' && OLD_SIDE[pair.optigem] !== undefined && OLD_SIDE[pair.optigem] === pair.churchtools);
}

export function hasReversedBookingSides(pairs: readonly PropertyPair[]): boolean {
  return reversedBookingSides(pairs).length > 0;
}

export interface BookingSidesSwitch {
  readonly propertyPairs: PropertyPair[];
  /** Old key → new key of every switched pair; jobs selecting the old key select the new one. */
  readonly renamed: Readonly<Record<string, string>>;
}

/**
 * The connection's pairs with Soll ↔ `accountId` and Haben ↔ `contraAccountId`. A switched pair
 * gets a new key: the booking pairs' fingerprints remember the old sides under the old key, and
 * read under the new sides they would look like a change on one side and be "synced" back.
 * Without a baseline, a difference is shown as a conflict instead (the admin decides).
 */
export function switchBookingSides(pairs: readonly PropertyPair[]): BookingSidesSwitch {
  const reversed = new Set(reversedBookingSides(pairs));
  const used = new Set(pairs.map((pair) => pair.key));
  const renamed: Record<string, string> = {};
  const propertyPairs = pairs.map((pair) => {
    if (!reversed.has(pair)) return pair;
    let key = NEW_KEY[pair.optigem] ?? `${pair.key}n`;
    while (used.has(key)) key = `${key}n`;
    used.add(key);
    renamed[pair.key] = key;
    return { ...pair, key, churchtools: RIGHT_SIDE[pair.optigem] ?? pair.churchtools };
  });
  return { propertyPairs, renamed };
}

/** A job of the switched connection, selecting the switched pairs by their new keys. */
export function withRenamedPairKeys(job: Job, renamed: Readonly<Record<string, string>>): Job {
  if (!job.propertyPairKeys.some((key) => renamed[key] !== undefined)) return job;
  return { ...job, propertyPairKeys: job.propertyPairKeys.map((key) => renamed[key] ?? key) };
}
