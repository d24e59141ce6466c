/**
 * The servers of the end-to-end benchmark, in a process of their own (forked by bench/e2e.ts):
 * the ChurchTools stand-in and a real Optigem bridge on a temporary SQLite database. Data is
 * loaded through their own loading paths: the stand-in's state (as its demo loader does) and the
 * bridge's HTTP API. Answers IPC messages: `counts` (requests since the last call, by class),
 * `change` (edit a share of persons on both sides), `changeBookings` (the same for bookings),
 * `records` (how many bookings ChurchTools holds now), `stop`.
 */
import { Agent, request as httpRequest } from 'node:http';
import { startStandIn, type StandIn } from '../../dev/standin/server.ts';
import { blankPerson, newMeta, touch } from '../../dev/standin/state.ts';
import { createTempDemoDatabase, startBridge } from '../../src/bridge/index.ts';

export type RequestClass = 'pages' | 'references' | 'creates' | 'updates' | 'pairStore' | 'log' | 'setup' | 'fixed';
export interface Counts {
  /** `spouseLinks`: couples' spouse links written through the legacy API (part of `updates`). */
  readonly churchtools: Record<RequestClass, number> & { total: number; writes: number; spouseLinks: number };
  /** ChurchTools writes (anything but GET) per class. */
  readonly churchtoolsWrites: Record<RequestClass, number>;
  readonly churchtoolsPersons: number;
  readonly churchtoolsArchived: number;
  readonly bridge: { total: number; pages: number; writes: number };
}
/**
 * `mixed`: 5/6 of each side match a person on the other side, the rest exist on one side only.
 * `import`: ChurchTools holds no person, Optigem all of them — a first sync imports every one
 * (issue 12's "first import" row).
 */
export type Layout = 'mixed' | 'import';
export type Request =
  | { cmd: 'start'; persons: number; bookings?: number; layout?: Layout }
  | { cmd: 'counts' }
  | { cmd: 'change'; share: number }
  | { cmd: 'changeBookings'; share: number }
  | { cmd: 'records' }
  | { cmd: 'stop' };

const FIRST = ['Anna', 'Jürgen', 'Clara', 'Paul', 'Hans', 'Eva', 'Lukas', 'Marie', 'Jonas', 'Sophie', 'Günther', 'Ömer'];
const LAST = ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann'];

/** Person i of the benchmark: a unique name (no possible duplicates), stable e-mail and birthday. */
export function benchPerson(i: number): { firstName: string; lastName: string; email: string; birthday: string; city: string } {
  const suffix = i.toString(36).toUpperCase();
  return {
    firstName: `${FIRST[i % FIRST.length]} ${suffix}`,
    lastName: LAST[Math.floor(i / FIRST.length) % LAST.length] ?? 'Muster',
    email: `p${i}@example.org`,
    birthday: `19${String(40 + (i % 60)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`,
    city: i % 3 === 0 ? 'Bonn' : 'Köln',
  };
}

/** 5/6 of each side match a person on the other side; the rest exist on one side only. */
export function layout(persons: number): { linked: number; only: number } {
  const linked = Math.round((persons * 5) / 6);
  return { linked, only: persons - linked };
}

/** The fiscal year of the benchmark's bookings: the stand-in's demo accounting period. */
export const BENCH_FISCAL_YEAR = 2026;

/**
 * Booking i of the benchmark, none of them a donation (no donor to link first): collections
 * (Soll Kasse 1000, Haben Kollekten 8500) and room costs paid from the bank (Soll Raumkosten
 * 4200, Haben Bank 1200), on cost centres 100 and 200 of the demo chart of accounts. Unique by
 * document number, so that equal bookings are the same booking.
 */
export function benchBooking(i: number): { date: string; cents: number; doc: string; text: string; soll: number; haben: number; project: number } {
  const collection = i % 4 !== 3;
  return {
    date: `${BENCH_FISCAL_YEAR}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
    cents: 1_000 + (i % 997) * 100,
    doc: `B-${i}`,
    text: collection ? `Kollekte ${1 + (i % 52)}. Sonntag` : 'Nebenkosten Gemeindehaus',
    soll: collection ? 1000 : 4200,
    haben: collection ? 8500 : 1200,
    project: i % 5 === 0 ? 200 : 100,
  };
}

let standIn: StandIn | undefined;
let bridge: Awaited<ReturnType<typeof startBridge>> | undefined;
let removeDb: (() => void) | undefined;
let bridgeToken = '';
let bridgeRequests: { method: string; path: string }[] = [];
let linkedCtIds: number[] = [];
let linkedCtBookings: number[] = [];

const reply = (message: unknown): void => {
  process.send?.(message);
};

async function bridgeCall(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  if (!bridge) throw new Error('bridge not started');
  return fetch(`${bridge.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${bridgeToken}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/**
 * POSTs for bulk loading over node:http with kept-alive sockets: per request a fraction of
 * fetch's CPU (its streams and objects), which counted for more than the bridge's own work when
 * 150,000 bookings go in one by one.
 */
const loadAgent = new Agent({ keepAlive: true, maxSockets: 8 });
function bridgePost(path: string, body: unknown): Promise<{ status: number; text: string }> {
  if (!bridge) throw new Error('bridge not started');
  const url = new URL(path, bridge.url);
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'POST', agent: loadAgent, headers: { Authorization: `Bearer ${bridgeToken}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

async function start(persons: number, bookings: number, shape: Layout): Promise<void> {
  standIn = await startStandIn({ data: 'empty' });
  const db = await createTempDemoDatabase();
  removeDb = db.remove;
  bridge = await startBridge({
    databasePath: db.path,
    allowedOrigins: ['https://gemeinde.church.tools'],
    logger: { log: (_level, msg, fields) => {
      if (msg === 'request' && fields && typeof fields['path'] === 'string') bridgeRequests.push({ method: String(fields['method'] ?? ''), path: fields['path'] });
    } },
  });
  bridgeToken = bridge.tokens?.readWrite ?? '';

  const { linked, only } = shape === 'import' ? { linked: 0, only: persons } : layout(persons);
  const state = standIn.state;
  for (let i = 0; shape === 'mixed' && i < linked + only; i++) {
    const p = benchPerson(i);
    const id = state.nextId.person++;
    const record = blankPerson(id, newMeta(state, 1));
    Object.assign(record, { ...p, emails: [{ email: p.email, contactLabelId: 1, isDefault: true }], statusId: 1, campusId: 1, departmentIds: [1] });
    state.persons.set(id, record);
    if (i < linked) linkedCtIds.push(id);
  }
  const optigem = [...Array.from({ length: linked }, (_, i) => i), ...Array.from({ length: only }, (_, i) => linked + only + i)];
  await inParallel(optigem, 8, async (i) => {
    const res = await bridgeCall('POST', '/v1/persons', benchPerson(i));
    if (res.status !== 201 && res.status !== 200) throw new Error(`bridge create ${i}: ${res.status} ${await res.text()}`);
  });
  if (bookings > 0) await loadBookings(bookings);
  standIn.resetRequests();
  bridgeRequests = [];
  reply({ ok: true, ctUrl: standIn.url, loginToken: standIn.admin.loginToken, bridgeUrl: bridge.url, bridgeToken, fiscalYear: BENCH_FISCAL_YEAR });
}

function classify(): Counts {
  if (!standIn) throw new Error('stand-in not started');
  const ct = { pages: 0, references: 0, creates: 0, updates: 0, pairStore: 0, log: 0, setup: 0, fixed: 0, total: 0, writes: 0, spouseLinks: 0 };
  const writes: Record<RequestClass, number> = { pages: 0, references: 0, creates: 0, updates: 0, pairStore: 0, log: 0, setup: 0, fixed: 0 };
  // Categories are created on first use (once per installation): the create, the re-list that
  // keeps the lowest id when two clients created one at the same moment, and a re-list that
  // confirms a category is still missing before a read plans as if it were empty.
  let categoryListings = 0;
  for (const r of standIn.requests) {
    ct.total++;
    const before = { ...ct };
    const kv = /^\/custommodules\/\d+\/customdatacategories\/(\d+)\/customdatavalues/.exec(r.path);
    if (kv) {
      const shorty = standIn.state.customCategories.get(Number(kv[1]))?.shorty ?? '';
      if (shorty.startsWith('pairs-')) ct.pairStore++;
      else if (shorty === 'logs') ct.log++;
      else {
        ct.fixed++;
        if (process.env['BENCH_DEBUG']) console.error(`fixed: ${r.method} ${shorty} ${r.path}`);
      }
    } else if (r.method === 'GET' && (r.path === '/persons' || /^\/finance\/transactions(\/\d+)?$/.test(r.path))) {
      ct.pages++;
      // Reads by id (re-read before a write, absence confirmed by id) are pages too; shown apart.
      if (process.env['BENCH_DEBUG'] && (r.query.includes('ids') || /\d$/.test(r.path))) console.error(`keyed: ${r.method} ${r.path} (${r.query.split('&').length} params)`);
    }
    // A couple split links the spouses through the legacy AJAX API: a change the run makes.
    else if (r.method === 'POST' && r.path === '/' && r.query.includes('churchdb/ajax')) {
      ct.updates++;
      ct.spouseLinks++;
    }
    // The legacy API needs a CSRF token, which the client reads once per session before its
    // first legacy call (ct-extension §3.5): part of the spouse links.
    else if (r.method === 'GET' && r.path === '/csrftoken') ct.updates++;
    // Data the job plans with: a person job's relationship types and relationships (couples), a
    // booking job's accounting periods, accounts and cost centres (and the spouses, for donors).
    else if (r.method === 'GET' && (r.path === '/person/masterdata' || r.path === '/persons/relationships' || /^\/finance\/(accountingperiods|accounts|costcenters)$/.test(r.path))) {
      ct.references++;
      if (process.env['BENCH_DEBUG']) console.error(`reference: ${r.method} ${r.path} ${r.query}`);
    }
    else if (/^\/custommodules\/\d+\/customdatacategories$/.test(r.path) && (r.method === 'POST' || (r.method === 'GET' && categoryListings++ > 0))) {
      ct.setup++;
      if (process.env['BENCH_DEBUG']) console.error(`set-up: ${r.method} ${r.path}`);
    }
    else if (r.method === 'POST' && (r.path === '/persons' || r.path === '/finance/transactions')) ct.creates++;
    else if ((r.method === 'PATCH' || r.method === 'PUT' || r.method === 'DELETE') && /^\/(persons|finance\/transactions)\/\d+/.test(r.path)) ct.updates++;
    else {
      ct.fixed++;
      if (process.env['BENCH_DEBUG']) console.error(`fixed: ${r.method} ${r.path} ${r.query}`);
    }
    if (r.method !== 'GET') {
      ct.writes++;
      const counted = (Object.keys(writes) as RequestClass[]).find((k) => ct[k] !== before[k]);
      if (counted) writes[counted]++;
    }
  }
  const og = { total: bridgeRequests.length, pages: bridgeRequests.filter((r) => r.method === 'GET' && /^\/v1\/(persons|fiscal-years\/\d+\/bookings)$/.test(r.path.split('?')[0] ?? '')).length, writes: bridgeRequests.filter((r) => r.method !== 'GET').length };
  const all = [...standIn.state.persons.values()];
  const persons = all.filter((p) => !p.isArchived).length;
  standIn.resetRequests();
  bridgeRequests = [];
  return { churchtools: ct, churchtoolsWrites: writes, churchtoolsPersons: persons, churchtoolsArchived: all.length - persons, bridge: og };
}

/** Edits `share` of the linked persons: half on the ChurchTools side, half in Optigem. */
async function change(share: number): Promise<void> {
  if (!standIn) throw new Error('stand-in not started');
  // After a first import every ChurchTools person is linked to the Optigem person it came from.
  if (linkedCtIds.length === 0) linkedCtIds = [...standIn.state.persons.keys()];
  const count = Math.max(2, Math.round(linkedCtIds.length * share));
  // ChurchTools: the first of every pair of linked persons, from the front of the list.
  for (const id of linkedCtIds.filter((_, i) => i % 2 === 0).slice(0, Math.ceil(count / 2))) {
    const p = standIn.state.persons.get(id);
    if (!p) continue;
    p.city = `${p.city} (neu)`;
    touch(p.meta, standIn.state, 1);
  }
  // Optigem: persons from the back of the list, so the two halves never meet.
  const total = ((await (await bridgeCall('GET', '/v1/persons?limit=1')).json()) as { total: number }).total;
  const half = Math.floor(count / 2);
  const res = await bridgeCall('GET', `/v1/persons?limit=${half}&page=${Math.max(1, Math.floor(total / half) - 1)}`);
  const page = (await res.json()) as { items: { nr: number; city: string | null; etag: string }[] };
  await inParallel(page.items, 8, async (p) => {
    const patched = await bridgeCall('PATCH', `/v1/persons/${p.nr}`, { city: `${p.city ?? ''} (neu)` }, { 'If-Match': p.etag });
    if (patched.status !== 200) throw new Error(`bridge patch ${p.nr}: ${patched.status}`);
  });
  standIn.resetRequests();
  bridgeRequests = [];
}

/**
 * `bookings` per side, laid out as persons are (5/6 on both sides, the rest on one side only):
 * ChurchTools' into the stand-in's state as its demo loader puts them, Optigem's through the
 * bridge's booking API.
 */
async function loadBookings(bookings: number): Promise<void> {
  if (!standIn) throw new Error('stand-in not started');
  const state = standIn.state;
  const accounts = new Map([...state.finance.accounts.values()].map((a) => [a.number, a.id]));
  const costCenters = new Map([...state.finance.costCenters.values()].map((c) => [c.number, c.id]));
  const accountId = (number: number) => accounts.get(String(number));
  const costCenterId = (number: number) => costCenters.get(String(number)) ?? null;
  const period = [...state.finance.periods.values()].find((p) => p.startDate.startsWith(String(BENCH_FISCAL_YEAR)));
  if (!period) throw new Error(`the stand-in has no accounting period ${BENCH_FISCAL_YEAR}`);
  const { linked, only } = layout(bookings);
  for (let i = 0; i < linked + only; i++) {
    const b = benchBooking(i);
    const id = state.nextId.transaction++;
    const account = accountId(b.soll);
    const contraAccount = accountId(b.haben);
    if (account === undefined || contraAccount === undefined) throw new Error(`the stand-in has no account ${b.soll} or ${b.haben}`);
    state.finance.transactions.set(id, {
      id,
      accountingPeriodId: period.id,
      accountId: account,
      contraAccountId: contraAccount,
      amount: b.cents,
      documentDate: b.date,
      documentNumber: b.doc,
      note: b.text,
      costCenterId: costCenterId(b.project),
      donatorId: null,
      donatorSpouseId: null,
      isImmutable: false,
      isSynced: false,
      isWaiverOfReimbursementOfExpenses: false,
      meta: newMeta(state, 1),
    });
    if (i < linked) linkedCtBookings.push(id);
  }
  const optigem = [...Array.from({ length: linked }, (_, i) => i), ...Array.from({ length: only }, (_, i) => linked + only + i)];
  await inParallel(optigem, 8, async (i) => {
    const b = benchBooking(i);
    const res = await bridgePost(`/v1/fiscal-years/${BENCH_FISCAL_YEAR}/bookings`, {
      date: b.date,
      debit: { account: b.soll, subAccount: 0, project: b.project },
      credit: { account: b.haben, subAccount: 0, project: b.project },
      amountCents: b.cents,
      text: b.text,
      documentNumber: b.doc,
    });
    if (res.status !== 201 && res.status !== 200) throw new Error(`bridge booking ${i}: ${res.status} ${res.text}`);
  });
}

/** Edits the text of `share` of the linked bookings: half in ChurchTools, half in Optigem. */
async function changeBookings(share: number): Promise<void> {
  if (!standIn) throw new Error('stand-in not started');
  const count = Math.max(2, Math.round(linkedCtBookings.length * share));
  for (const id of linkedCtBookings.filter((_, i) => i % 2 === 0).slice(0, Math.ceil(count / 2))) {
    const t = standIn.state.finance.transactions.get(id);
    if (!t) continue;
    t.note = `${t.note} (korrigiert)`;
    touch(t.meta, standIn.state, 1);
  }
  // Optigem: bookings from the back of the list, so the two halves never meet.
  const base = `/v1/fiscal-years/${BENCH_FISCAL_YEAR}/bookings`;
  const total = ((await (await bridgeCall('GET', `${base}?limit=1`)).json()) as { total: number }).total;
  const half = Math.floor(count / 2);
  const res = await bridgeCall('GET', `${base}?limit=${half}&page=${Math.max(1, Math.floor(total / half) - 1)}`);
  const page = (await res.json()) as { items: { id: string; text: string | null; etag: string }[] };
  await inParallel(page.items, 8, async (b) => {
    const patched = await bridgeCall('PATCH', `${base}/${b.id}`, { text: `${b.text ?? ''} (korrigiert)` }, { 'If-Match': b.etag });
    if (patched.status !== 200) throw new Error(`bridge booking patch ${b.id}: ${patched.status} ${await patched.text()}`);
  });
  standIn.resetRequests();
  bridgeRequests = [];
}

process.on('message', (message: Request) => {
  const handle = async (): Promise<void> => {
    switch (message.cmd) {
      case 'start':
        return start(message.persons, message.bookings ?? 0, message.layout ?? 'mixed');
      case 'counts':
        return reply({ ok: true, counts: classify() });
      case 'records':
        return reply({ ok: true, churchtoolsBookings: standIn?.state.finance.transactions.size ?? 0 });
      case 'changeBookings':
        await changeBookings(message.share);
        return reply({ ok: true });
      case 'change':
        await change(message.share);
        return reply({ ok: true });
      case 'stop':
        loadAgent.destroy();
        await Promise.all([standIn?.close(), bridge?.close()]);
        removeDb?.();
        reply({ ok: true });
        process.exit(0);
    }
  };
  handle().catch((error: unknown) => reply({ ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) }));
});
