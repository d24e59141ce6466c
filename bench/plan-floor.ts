/**
 * The floor under the planners' benchmarks: allocating objects of the plan's shape and
 * nothing else — no sorting, matching, mapping, hashing. A first sync of 150,000 bookings per
 * side (`bench:transactions -- --bookings 150000 --only first`) plans 75,000 links and 150,000
 * creations with nine field changes each; a first sync of 30,000 × 30,000 people (`bench`)
 * 10,000 links, 8,000 updates, 20,000 creations and 10,600 pair operations, after indexing the
 * 60,000 people by name. Whatever a planner does, it cannot be faster than this.
 * Run: `npx tsx bench/plan-floor.ts`.
 */
type Values = Record<string, unknown>;
interface Rec {
  readonly id: string;
  readonly properties: Values;
}

const BOOKING_FIELDS = ['documentDate', 'amount', 'documentNumber', 'note', 'account', 'contraAccount', 'costCenter', 'donor', 'isWaiverOfReimbursementOfExpenses'];
const PERSON_FIELDS = ['firstName', 'lastName', 'email', 'birthday', 'city', 'statusId'];

function records(count: number, fields: readonly string[], side: number): Rec[] {
  const out: Rec[] = [];
  for (let i = 0; i < count; i++) {
    const properties: Values = {};
    for (const field of fields) properties[field] = `${field}${side}-${i % 1000}`;
    out.push({ id: String(side * 1_000_000 + i), properties });
  }
  return out;
}

function entry(seq: number, changes: unknown[], key: string, ctId: string | null, ogId: string | null) {
  return { seq, changes, state: 'planned', action: 'import', type: 'create', system: 'churchtools', ctId, ogId, label: 'Spende 2026-03-01', level: 'info', message: { key } };
}

function create(seq: number, record: Rec, fp: string) {
  const values: Values = {};
  for (const field in record.properties) values[field] = record.properties[field];
  const changes: unknown[] = [];
  for (const field in values) changes.push({ field, oldValue: null, newValue: values[field] });
  return { op: { op: 'create', action: 'import', target: 'churchtools', sourceId: record.id, values, fp, seq }, entry: entry(seq, changes, 'log.create.created', null, record.id) };
}

function bookingsPlan(ct: Rec[], og: Rec[]) {
  const operations: unknown[] = [];
  const entries: unknown[] = [];
  let seq = 0;
  for (let i = 0; i < ct.length; i++) {
    const c = ct[i] as Rec;
    const o = og[i] as Rec;
    if (i % 2 === 0) {
      operations.push({ op: 'link', action: 'link', ct: c.id, og: o.id, fp: `am12.dd34.dn56.nt78.ac90.ca12.cc34.dr56.wv${i % 100}`, status: 'synced', seq: ++seq });
      entries.push(entry(seq, [], 'log.link.linked', c.id, o.id));
    } else {
      for (const record of [c, o]) {
        const made = create(++seq, record, `am12.dd34.dn56.nt78.ac90.ca12.cc34.dr56.wv${i % 100}`);
        operations.push(made.op);
        entries.push(made.entry);
      }
    }
  }
  return { operations, entries };
}

function peoplePlan(ct: Rec[], og: Rec[]) {
  const byName = new Map<string, Rec>();
  for (const side of [ct, og]) for (const r of side) byName.set(`${String(r.properties['firstName']).toLowerCase()}\u0001${String(r.properties['lastName']).toLowerCase()}`, r);
  const operations: unknown[] = [];
  const entries: unknown[] = [];
  let seq = 0;
  for (let i = 0; i < ct.length; i++) {
    const c = ct[i] as Rec;
    const o = og[i] as Rec;
    if (i < ct.length / 3) {
      operations.push({ op: 'link', action: 'link', ct: c.id, og: o.id, fp: `bdAA.ciBB.emCC.fnDD.lnEE.st${i % 100}`, status: 'synced', seq: ++seq });
      entries.push(entry(seq, [], 'log.link.linked', c.id, o.id));
    }
    if (i < (ct.length * 8) / 30) {
      operations.push({ op: 'update', action: 'link', target: 'churchtools', ct: c.id, og: o.id, values: { city: o.properties['city'] }, expectedModifiedAt: null, fpPatch: { ci: 'AB' }, base: '0123abcd', seq: ++seq });
      entries.push(entry(seq, [{ field: 'city', oldValue: c.properties['city'], newValue: o.properties['city'] }], 'log.link.unified', c.id, o.id));
    }
    if (i < (ct.length * 10.6) / 30) {
      operations.push({ op: 'pair', action: 'pairs', ct: c.id, og: o.id, change: { kind: 'set', status: 'synced', fpPatch: { ci: 'AB' } }, seq: ++seq });
      entries.push(entry(seq, [], 'log.pair.synced', c.id, o.id));
    }
    if (i >= (ct.length * 2) / 3) {
      for (const record of [c, o]) {
        const made = create(++seq, record, `bdAA.ciBB.emCC.fnDD.lnEE.st${i % 100}`);
        operations.push(made.op);
        entries.push(made.entry);
      }
    }
  }
  return { operations, entries, byName };
}

function measure(name: string, plan: () => { operations: unknown[] }): void {
  plan();
  plan();
  const runs: { wall: number; cpu: number }[] = [];
  let operations = 0;
  for (let i = 0; i < 5; i++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    operations = plan().operations.length;
    const wall = performance.now() - start;
    const used = process.cpuUsage(cpu);
    runs.push({ wall, cpu: (used.user + used.system) / 1000 });
  }
  const median = (pick: (run: { wall: number; cpu: number }) => number) => runs.map(pick).sort((a, b) => a - b)[2] ?? 0;
  console.log(`${name}: ${operations.toLocaleString('en')} operations, median of 5: ${median((r) => r.wall).toFixed(0)} ms wall, ${median((r) => r.cpu).toFixed(0)} ms CPU`);
}

const people = { ct: records(30_000, PERSON_FIELDS, 1), og: records(30_000, PERSON_FIELDS, 2) };
measure('floor of a first sync, 30,000 × 30,000 people', () => peoplePlan(people.ct, people.og));
const bookings = { ct: records(150_000, BOOKING_FIELDS, 1), og: records(150_000, BOOKING_FIELDS, 2) };
measure('floor of a first sync, 150,000 bookings per side', () => bookingsPlan(bookings.ct, bookings.og));
