/**
 * Switches a stored connection from the old, reversed booking sides to the right ones (issue
 * #11) — the one step behind the extension's button and `optigem-sync connection
 * fix-booking-sides`. The connection and every job of it that selects a switched pair are
 * saved against the revisions read, so a concurrent edit fails the step instead of being lost.
 * Browser-safe: no Node imports.
 */
import type { ExtensionStorage } from '../churchtools/kv/storage.ts';
import { hasReversedBookingSides, switchBookingSides, withRenamedPairKeys } from '../sync/booking-sides.ts';

export interface BookingSidesOutcome {
  /** False when the connection already had the right sides: nothing was written. */
  readonly switched: boolean;
  readonly renamed: Readonly<Record<string, string>>;
  /** Names of the jobs whose pair selection was updated. */
  readonly jobs: readonly string[];
}

export async function fixBookingSides(storage: Pick<ExtensionStorage, 'connections' | 'jobs'>, connectionId: string): Promise<BookingSidesOutcome> {
  const stored = await storage.connections.get(connectionId);
  if (!stored) throw new Error(`The connection ${connectionId} does not exist (any more).`);
  if (!hasReversedBookingSides(stored.data.propertyPairs)) return { switched: false, renamed: {}, jobs: [] };
  const { propertyPairs, renamed } = switchBookingSides(stored.data.propertyPairs);
  const jobs = (await storage.jobs.list()).items.filter((item) => item.data.connectionId === connectionId);
  // Until its job is saved too, a job names a key the connection no longer has; validation then
  // stops it from running, which is safe, unlike running with the old sides.
  await storage.connections.save({ ...stored.data, propertyPairs }, stored.revision);
  const updated: string[] = [];
  for (const job of jobs) {
    const next = withRenamedPairKeys(job.data, renamed);
    if (next === job.data) continue;
    await storage.jobs.save(next, job.revision);
    updated.push(job.data.name);
  }
  return { switched: true, renamed, jobs: updated };
}
