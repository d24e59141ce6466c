/**
 * Reads every person (default 30,000) and every booking of one fiscal year (default 30,000, next
 * to 10,000 of the year before) through the bridge's HTTP API in pages of 500, following
 * `nextAfter` (keyed paging): a first read (every record new to the change tracking) and a second
 * one (nothing changed), plus offset paging (`page=`) of the persons for comparison. Each
 * repetition starts a fresh bridge on a fresh copy of the database; the figures are the median
 * over the repetitions of each read's total, its CPU time (bridge and client share this process)
 * and its pages' p50/p95/slowest.
 *
 * Run: `npm run bench:bridge [-- --persons 30000 --bookings 30000 --page 500 --reps 3]`.
 * Times depend on the machine; on a shared, loaded one the CPU time is the steadier number and
 * ratios between two builds measured back to back mean more than either figure. A benchmark,
 * not a test: the suite asserts the work per page by counting (tests/bridge/paging-work.test.ts).
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startBridge } from '../src/bridge/index.ts';
import { fillBridgeDatabase } from './bridge-data.ts';

const { values: args } = parseArgs({
  options: {
    persons: { type: 'string', default: '30000' },
    bookings: { type: 'string', default: '30000' },
    page: { type: 'string', default: '500' },
    reps: { type: 'string', default: '3' },
  },
});
const PERSONS = Number(args.persons);
const BOOKINGS = Number(args.bookings);
const PAGE = Number(args.page);
const REPS = Math.max(1, Number(args.reps));
const YEAR = 2026;
const EARLIER_BOOKINGS = Math.round(BOOKINGS / 3);

interface Read {
  items: number;
  pages: number;
  totalMs: number;
  cpuMs: number;
  pageMs: number[];
}

async function readAll(url: string, token: string, path: string, mode: 'keyed' | 'offset'): Promise<Read> {
  const cpu = process.cpuUsage();
  const pageMs: number[] = [];
  let after: string | null = null;
  let page = 1;
  let items = 0;
  const started = performance.now();
  for (;;) {
    const query: string = mode === 'keyed' ? `limit=${PAGE}${after === null ? '' : `&after=${after}`}` : `limit=${PAGE}&page=${page}`;
    const t0 = performance.now();
    const res = await fetch(`${url}${path}?${query}`, { headers: { Authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`${path}?${query}: HTTP ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { items: unknown[]; hasMore: boolean; nextAfter: string | null };
    pageMs.push(performance.now() - t0);
    items += body.items.length;
    if (!body.hasMore) break;
    after = body.nextAfter;
    page++;
  }
  const used = process.cpuUsage(cpu);
  return { items, pages: pageMs.length, totalMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000, pageMs };
}

function quantile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
}

const median = (values: readonly number[]): number => quantile([...values].sort((x, y) => x - y), 0.5);

const SCENARIOS = [
  { label: 'persons, first read (all new to tracking)', path: '/v1/persons', mode: 'keyed' },
  { label: 'persons, second read (unchanged)', path: '/v1/persons', mode: 'keyed' },
  { label: `bookings ${YEAR}, first read`, path: `/v1/fiscal-years/${YEAR}/bookings`, mode: 'keyed' },
  { label: `bookings ${YEAR}, second read`, path: `/v1/fiscal-years/${YEAR}/bookings`, mode: 'keyed' },
  { label: 'persons, offset paging (page=)', path: '/v1/persons', mode: 'offset' },
] as const;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-bridge-'));
  try {
    const template = join(dir, 'template.sqlite');
    fillBridgeDatabase(template, { persons: PERSONS, bookings: BOOKINGS, year: YEAR });
    const results: Read[][] = SCENARIOS.map(() => []);
    for (let rep = 0; rep < REPS; rep++) {
      const path = join(dir, `rep-${rep}.sqlite`);
      copyFileSync(template, path);
      const bridge = await startBridge({ databasePath: path });
      try {
        const token = bridge.tokens?.readWrite ?? '';
        for (const [i, scenario] of SCENARIOS.entries()) results[i]?.push(await readAll(bridge.url, token, scenario.path, scenario.mode));
      } finally {
        await bridge.close();
      }
    }
    console.log(`${PERSONS} persons, ${BOOKINGS} bookings in ${YEAR} (+${EARLIER_BOOKINGS} in ${YEAR - 1}), pages of ${PAGE}, median of ${REPS}; Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
    console.log(`${'read'.padEnd(42)} ${'records'.padStart(7)} ${'pages'.padStart(5)} ${'total ms'.padStart(9)} ${'CPU ms'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)} ${'max ms'.padStart(7)}`);
    for (const [i, scenario] of SCENARIOS.entries()) {
      const reads = results[i] ?? [];
      const stat = (f: (r: Read) => number): string => median(reads.map(f)).toFixed(1);
      const sortedPages = (r: Read): number[] => [...r.pageMs].sort((x, y) => x - y);
      console.log(
        [
          scenario.label.padEnd(42),
          String(reads[0]?.items ?? 0).padStart(7),
          String(reads[0]?.pages ?? 0).padStart(5),
          stat((r) => r.totalMs).padStart(9),
          stat((r) => r.cpuMs).padStart(7),
          stat((r) => quantile(sortedPages(r), 0.5)).padStart(7),
          stat((r) => quantile(sortedPages(r), 0.95)).padStart(7),
          stat((r) => Math.max(...r.pageMs)).padStart(7),
        ].join(' '),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
