/**
 * Names for the ids the CLI's text output shows, read once for the output and only for the
 * fields it shows: ChurchTools statuses, sexes, campuses, departments (master data), Optigem
 * categories (bridge meta), accounts, cost centres and projects of the job's fiscal year, and
 * the persons a booking's donor stands for (ChurchTools by id in batches, Optigem in one bridge
 * read). The run itself reads none of this, so without it the CLI could only say "1" or "Person #237".
 */
import type { Headless } from '../runner/headless.ts';
import type { OptionItem } from '../churchtools/index.ts';
import { numberedName, personIdsShown, personsFromRecords, type OptionLookup, type PersonLookup, type ReadPersons } from '../format/values.ts';
import { BridgeClient, OptigemSystemPort } from '../optigem/index.ts';
import type { Connection } from '../churchtools/kv/schemas.ts';
import type { Job, LogEntry, Message, SystemId } from '../sync/model.ts';
import { CT_TRANSACTION_FIELDS as CT, OG_BOOKING_FIELDS as OG } from '../sync/transaction-fields.ts';

export interface ValueNames {
  readonly persons?: PersonLookup;
  readonly lookup?: OptionLookup;
}

type Names = ReadonlyMap<string, string>;
type Loader = (context: LoadContext) => Promise<Names>;

interface LoadContext {
  readonly headless: Headless;
  readonly job: Job;
  readonly bridge: () => Promise<BridgeClient | null>;
  /** One read per list, however many fields name from it (Konto and Gegenkonto, Soll and Haben). */
  readonly once: <T>(key: string, read: () => Promise<T>) => Promise<T>;
}

const named = (items: readonly OptionItem[]): Names => new Map(items.map((item) => [item.id, item.name]));
const numbered = (items: readonly { number: number | string; name?: string | null }[]): Names => new Map(items.map((item) => [String(item.number), numberedName(item.number, item.name)]));

function ctFinance(context: LoadContext): Promise<{ accounts: Names; costCenters: Names }> {
  return context.once('ctFinance', () => readCtFinance(context));
}

async function readCtFinance(context: LoadContext): Promise<{ accounts: Names; costCenters: Names }> {
  const year = context.job.scope?.['fiscalYear'];
  const client = context.job.scope?.['clientId'];
  const [period, ...others] = year ? await context.headless.ct.finance.periodsOfFiscalYear(year, client === undefined ? undefined : Number(client)) : [];
  if (!period || others.length > 0) return { accounts: new Map(), costCenters: new Map() };
  const books = await context.headless.ct.finance.periodMasterData(period.id);
  return { accounts: numbered([...books.accountsByNumber.values()]), costCenters: numbered([...books.costCentersByNumber.values()]) };
}

function ogFinance(context: LoadContext, what: 'accounts' | 'projects'): Promise<Names> {
  return context.once(`og:${what}`, async () => {
    const year = Number(context.job.scope?.['fiscalYear']);
    const bridge = await context.bridge();
    if (!bridge || !Number.isInteger(year)) return new Map();
    return numbered(what === 'accounts' ? await bridge.accounts(year) : await bridge.projects(year));
  });
}

/** Where each shown field's names come from; fields of both systems' persons and bookings. */
const SOURCES: Readonly<Record<SystemId, Readonly<Record<string, Loader>>>> = {
  churchtools: {
    statusId: async (c) => named(await c.headless.ct.masterData.statuses()),
    sexId: async (c) => named(await c.headless.ct.masterData.sexes()),
    familyStatusId: async (c) => named(await c.headless.ct.masterData.familyStatuses()),
    campusId: async (c) => named(await c.headless.ct.masterData.campuses()),
    departmentIds: async (c) => named(await c.headless.ct.masterData.departments()),
    [CT.account]: async (c) => (await ctFinance(c)).accounts,
    [CT.contraAccount]: async (c) => (await ctFinance(c)).accounts,
    [CT.costCenter]: async (c) => (await ctFinance(c)).costCenters,
  },
  optigem: {
    Kategorien: async (c) => {
      const bridge = await c.bridge();
      return bridge ? new Map((await bridge.meta()).categories.map((category) => [String(category.id), category.label])) : new Map();
    },
    [OG.debitAccount]: (c) => ogFinance(c, 'accounts'),
    [OG.creditAccount]: (c) => ogFinance(c, 'accounts'),
    [OG.project]: (c) => ogFinance(c, 'projects'),
  },
};

/** The fields whose values the output shows, per system (an entry about both sides: ChurchTools' old, Optigem's new). */
function fieldsShown(entries: readonly LogEntry[], connection: Connection | undefined): Record<SystemId, Set<string>> {
  const fields: Record<SystemId, Set<string>> = { churchtools: new Set(), optigem: new Set() };
  for (const entry of entries) {
    for (const change of entry.changes) {
      if (entry.system === 'optigem') fields.optigem.add(change.field);
      else fields.churchtools.add(change.field);
      if (entry.system === 'both') fields.optigem.add(connection?.propertyPairs.find((pair) => pair.churchtools === change.field)?.optigem ?? change.field);
    }
  }
  return fields;
}

// Names only make the output friendlier: a failed read leaves the ids ("Person #237"), never the verdict.
async function orNothing<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch {
    return undefined;
  }
}

export async function readValueNames(headless: Headless, job: Job, entries: readonly LogEntry[], messages: readonly Message[]): Promise<ValueNames> {
  const connection = await orNothing(async () => (await headless.storage.connections.get(job.connectionId))?.data);
  let client: Promise<BridgeClient | null> | undefined;
  const bridge = (): Promise<BridgeClient | null> =>
    (client ??= (async () => {
      const token = connection ? await headless.storage.secrets.token(connection.id) : null;
      return connection && token ? new BridgeClient({ baseUrl: connection.bridgeUrl, token }) : null;
    })());
  const reads = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    if (!reads.has(key)) reads.set(key, read());
    return reads.get(key) as Promise<T>;
  };
  const context: LoadContext = { headless, job, bridge, once };

  const shown = fieldsShown(entries, connection);
  const tables: Record<SystemId, Map<string, Names>> = { churchtools: new Map(), optigem: new Map() };
  for (const system of ['churchtools', 'optigem'] as const) {
    for (const field of shown[system]) {
      const load = SOURCES[system][field];
      const names = load ? await orNothing(() => load(context)) : undefined;
      if (names) tables[system].set(field, names);
    }
  }
  const lookup: OptionLookup = (system, field, id) => tables[system].get(field)?.get(id);

  const ids = personIdsShown(entries, messages);
  if (job.domain !== 'transaction' || (ids.churchtools.size === 0 && ids.optigem.size === 0)) return { lookup };
  const read: { -readonly [K in keyof ReadPersons]: ReadPersons[K] } = {};
  const port = headless.ct.persons;
  const ct = ids.churchtools.size > 0 ? await orNothing(() => port.reread('person', [...ids.churchtools])) : undefined;
  if (ct) read.churchtools = { byId: ct, identity: port.identity };
  const bridgeClient = ids.optigem.size > 0 ? await orNothing(bridge) : null;
  if (bridgeClient) {
    const og = new OptigemSystemPort(bridgeClient);
    const all = await orNothing(() => og.readAll('person'));
    if (all) read.optigem = { byId: new Map(all.records.filter((r) => ids.optigem.has(r.id)).map((r) => [r.id, r])), identity: og.identity };
  }
  return { lookup, persons: personsFromRecords(read) };
}
