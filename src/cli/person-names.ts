/**
 * Names for the persons a booking job's text output shows (donors), read once for the output:
 * ChurchTools persons by id in batches, Optigem's persons in one read of the bridge. The run
 * itself reads no persons, so without this the CLI could only say "Person #237".
 */
import { personIdsShown, personsFromRecords, type PersonLookup, type ReadPersons } from '../format/values.ts';
import { BridgeClient, OptigemSystemPort } from '../optigem/index.ts';
import type { Headless } from '../runner/headless.ts';
import type { Job, LogEntry, Message } from '../sync/model.ts';

export async function readPersonNames(headless: Headless, job: Job, entries: readonly LogEntry[], messages: readonly Message[]): Promise<PersonLookup | undefined> {
  if (job.domain !== 'transaction') return undefined;
  const ids = personIdsShown(entries, messages);
  if (ids.churchtools.size === 0 && ids.optigem.size === 0) return undefined;
  const read: { -readonly [K in keyof ReadPersons]: ReadPersons[K] } = {};
  // Names only make the output friendlier: a failed read leaves "Person #237", never the run's verdict.
  try {
    if (ids.churchtools.size > 0) {
      const port = headless.ct.persons;
      read.churchtools = { byId: (await port.reread?.('person', [...ids.churchtools])) ?? new Map(), identity: port.identity };
    }
  } catch {
    /* the ids stay as "Person #id" */
  }
  try {
    const connection = ids.optigem.size > 0 ? (await headless.storage.connections.get(job.connectionId))?.data : undefined;
    const token = connection ? await headless.storage.secrets.token(connection.id) : null;
    if (connection && token) {
      const port = new OptigemSystemPort(new BridgeClient({ baseUrl: connection.bridgeUrl, token }));
      const all = await port.readAll('person');
      read.optigem = { byId: new Map(all.records.filter((r) => ids.optigem.has(r.id)).map((r) => [r.id, r])), identity: port.identity };
    }
  } catch {
    /* the ids stay as "Person #id" */
  }
  return personsFromRecords(read);
}
