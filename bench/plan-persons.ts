/**
 * Plans a person job with every action selected over 30,000 ChurchTools and 30,000 Optigem
 * people and prints how long planning takes, in two scenarios:
 * - first sync: a third linked already, a third matching but unlinked, the rest on one side
 *   only (10,000 links and 20,000 creations: the worst case);
 * - nightly: everyone linked and in sync since the last run, 1 % changed on one side.
 * Run: `npm run bench`.
 */
import type { Pair, SyncRecord } from '../src/sync/model.ts';
import { planJob, type PlanInput } from '../src/sync/planner.ts';
import { encodeFingerprint, valueHash } from '../src/sync/fingerprint.ts';
import { fieldStates } from '../src/sync/field-sync.ts';
import { CT_IDENTITY, OG_IDENTITY, PROPERTY_PAIRS, job } from '../tests/sync/fixtures.ts';

const SIZE = Number(process.argv[2] ?? 30_000);
const FIRST = ['Anna', 'Jürgen', 'Clara', 'Paul', 'Hans', 'Eva', 'Lukas', 'Marie', 'Jonas', 'Sophie'];
const LAST = ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann'];

function person(i: number, side: 'ct' | 'og'): SyncRecord {
  const first = `${FIRST[i % FIRST.length]}${Math.floor(i / 100)}`;
  const last = LAST[Math.floor(i / 10) % LAST.length] ?? 'X';
  const day = `19${String(40 + (i % 60)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`;
  const modifiedAt = new Date(Date.UTC(2026, 0, 1) + (side === 'ct' ? i : 2 * i) * 1000).toISOString();
  return side === 'ct'
    ? { id: String(i + 1), modifiedAt, properties: { firstName: first, lastName: last, email: `p${i}@example.org`, birthday: day, city: i % 3 ? 'Köln' : 'Bonn', statusId: i % 2 ? '1' : '2' } }
    : { id: String(100_000 + i), modifiedAt, properties: { Vorname: first, Nachname: last, EMail: `p${i}@example.org`, Geburtsdatum: day, Ort: i % 5 ? 'Köln' : 'Bonn', Kategorien: [i % 2 ? '150' : '160', '200'] } };
}

const ct: SyncRecord[] = [];
const og: SyncRecord[] = [];
const pairs: Pair[] = [];
for (let i = 0; i < SIZE; i++) {
  const inBoth = i < (2 * SIZE) / 3;
  ct.push(person(i, 'ct'));
  og.push(person(inBoth ? i : i + SIZE, 'og'));
  if (i < SIZE / 3) pairs.push({ ct: String(i + 1), og: String(100_000 + i), status: 'synced', fp: '', at: 0 });
}
for (let i = 0; i < SIZE / 50; i++) pairs.push({ ct: `gone-${i}`, og: String(100_000 + 2 * SIZE + i), status: 'synced', fp: '', at: 0 });

const all = job({
  link: { mode: 'newerWins' },
  import: { defaults: { statusId: '9' } },
  export: { defaults: {} },
  updateProperties: { conflictProtection: true },
  archiveInChurchTools: {},
  deleteInOptigem: {},
});

const firstSync: PlanInput = {
  job: all,
  propertyPairs: PROPERTY_PAIRS,
  records: { churchtools: { records: ct, complete: true, problems: [] }, optigem: { records: og, complete: true, problems: [] } },
  identity: { churchtools: CT_IDENTITY, optigem: OG_IDENTITY },
  listFields: { churchtools: [], optigem: ['Kategorien'] },
  pairs,
};

/** Everyone linked, fingerprints as the last run left them, 1 % edited since on one side. */
function nightly(): PlanInput {
  const ctNow: SyncRecord[] = [];
  const ogNow: SyncRecord[] = [];
  const linked: Pair[] = [];
  for (let i = 0; i < SIZE; i++) {
    const c = person(i, 'ct');
    const o = { ...person(i, 'og'), properties: { ...person(i, 'og').properties, Ort: c.properties.city ?? null, Kategorien: [c.properties.statusId === '1' ? '150' : '160', '200'] } };
    const hashes = new Map<string, string>();
    for (const state of fieldStates(PROPERTY_PAIRS, c, o)) hashes.set(state.pair.key, valueHash(state.comparable.churchtools));
    linked.push({ ct: c.id, og: o.id, status: 'synced', fp: encodeFingerprint(hashes), at: 0 });
    ctNow.push(i % 100 === 0 ? { ...c, properties: { ...c.properties, city: 'Neustadt' }, modifiedAt: '2026-06-01T00:00:00Z' } : c);
    ogNow.push(o);
  }
  return { ...firstSync, records: { churchtools: { records: ctNow, complete: true, problems: [] }, optigem: { records: ogNow, complete: true, problems: [] } }, pairs: linked };
}

/**
 * The input as a fresh read hands it over: new record objects. The engine may remember per
 * record object what it worked out (identityOf keeps a person's normalised name), and planning
 * the very same objects again would measure those memories instead of the work a run does.
 */
function freshRead(input: PlanInput): PlanInput {
  const copy = (result: PlanInput['records']['churchtools']) => ({ ...result, records: result.records.map((record) => ({ ...record })) });
  return { ...input, records: { churchtools: copy(input.records.churchtools), optigem: copy(input.records.optigem) } };
}

function measure(name: string, input: PlanInput): void {
  planJob(freshRead(input));
  // CPU time of this process as well as wall time: other work on the machine moves the wall
  // time; the CPU time includes V8's garbage-collector threads.
  const runs: { wall: number; cpu: number }[] = [];
  let plan = planJob(freshRead(input));
  for (let i = 0; i < 5; i++) {
    const fresh = freshRead(input);
    const start = performance.now();
    const cpu = process.cpuUsage();
    plan = planJob(fresh);
    const used = process.cpuUsage(cpu);
    runs.push({ wall: performance.now() - start, cpu: (used.user + used.system) / 1000 });
  }
  const median = (pick: (run: { wall: number; cpu: number }) => number) => runs.map(pick).sort((a, b) => a - b)[2] ?? 0;
  const kinds = new Map<string, number>();
  for (const op of plan.operations) kinds.set(op.op, (kinds.get(op.op) ?? 0) + 1);
  console.log(`${name}: ${SIZE} × ${SIZE} people, all actions: median ${median((r) => r.wall).toFixed(0)} ms wall (${median((r) => r.cpu).toFixed(0)} ms CPU) over ${runs.length} runs`);
  console.log(`  operations: ${[...kinds].map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}; entries: ${plan.entries.length}`);
}

measure('first sync', firstSync);
measure('nightly', nightly());
