/**
 * Reads every person of a 30,000-person Optigem database through the bridge's HTTP API in pages
 * of 500, following `nextAfter` (keyed paging), and prints the total and the slowest page, for a
 * first read (every record new to the change tracking) and a second one (nothing changed), and
 * for offset paging (`page=`) for comparison. Run: `npm run bench:bridge [-- persons pageSize]`.
 * Times depend on the machine (on a shared, loaded one, the CPU time is the steadier number);
 * this is a benchmark, not a test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startBridge } from '../src/bridge/index.ts';
import { openBridgeState } from '../src/bridge/state/index.ts';
import { DEFAULT_NAMES, q } from '../src/bridge/store/sqlite/names.ts';
import { createOptigemSchema } from '../src/bridge/store/sqlite/schema.ts';

const SIZE = Number(process.argv[2] ?? 30_000);
const PAGE = Number(process.argv[3] ?? 500);
const FIRST = ['Anna', 'Jürgen', 'Clara', 'Paul', 'Hans', 'Eva', 'Lukas', 'Marie', 'Jonas', 'Sophie'];
const LAST = ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann'];

function fill(path: string): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  createOptigemSchema(db, DEFAULT_NAMES);
  openBridgeState(db);
  const p = DEFAULT_NAMES.persons;
  const c = p.columns;
  const a = DEFAULT_NAMES.categoryAssignments;
  const person = db.prepare(
    `INSERT INTO ${q(p.table)} (${[p.nr, c.firstName, c.lastName, c.email, c.city, c.birthday].map((n) => q(n as string)).join(', ')}) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const category = db.prepare(`INSERT INTO ${q(a.table)} (${q(a.personNr)}, ${q(a.categoryId)}) VALUES (?, ?)`);
  db.transaction(() => {
    for (let i = 1; i <= SIZE; i++) {
      person.run(i, FIRST[i % 10] ?? '', LAST[Math.floor(i / 10) % 10] ?? '', `p${i}@example.org`, i % 3 ? 'Köln' : 'Bonn', `19${String(40 + (i % 60)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`);
      category.run(i, i % 2 ? 150 : 160);
      if (i % 4 === 0) category.run(i, 300);
    }
  })();
  db.close();
}

async function readAll(url: string, token: string, mode: 'keyed' | 'offset'): Promise<{ totalMs: number; cpuMs: number; slowestMs: number; pages: number; persons: number }> {
  const cpu = process.cpuUsage();
  let after: string | null = null;
  let page = 1;
  let pages = 0;
  let persons = 0;
  let slowestMs = 0;
  const started = performance.now();
  for (;;) {
    const query: string = mode === 'keyed' ? `limit=${PAGE}${after === null ? '' : `&after=${after}`}` : `limit=${PAGE}&page=${page}`;
    const t0 = performance.now();
    const res = await fetch(`${url}/v1/persons?${query}`, { headers: { Authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { items: unknown[]; hasMore: boolean; nextAfter: string | null };
    slowestMs = Math.max(slowestMs, performance.now() - t0);
    pages++;
    persons += body.items.length;
    if (!body.hasMore) break;
    after = body.nextAfter;
    page++;
  }
  const used = process.cpuUsage(cpu);
  return { totalMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000, slowestMs, pages, persons };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-bridge-'));
  try {
    const path = join(dir, 'optigem.sqlite');
    fill(path);
    const bridge = await startBridge({ databasePath: path });
    const token = bridge.tokens?.readWrite ?? '';
    try {
      console.log(`${SIZE} persons, pages of ${PAGE}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
      for (const [label, mode] of [['keyed, first read (all new to tracking)', 'keyed'], ['keyed, second read (unchanged)', 'keyed'], ['offset (page=)', 'offset']] as const) {
        const r = await readAll(bridge.url, token, mode);
        console.log(
          `${label.padEnd(42)} ${r.persons} persons in ${r.pages} pages: ${r.totalMs.toFixed(0)} ms in all (CPU of bridge + client ${r.cpuMs.toFixed(0)} ms), slowest page ${r.slowestMs.toFixed(1)} ms`,
        );
      }
    } finally {
      await bridge.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
