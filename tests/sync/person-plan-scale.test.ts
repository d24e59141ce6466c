/**
 * The person planner at a size where its data structures matter (issue 12 §7): a generated
 * population of 2,400 people per side with every case of the person actions in it — existing
 * pairs in sync, changed on one side or both, pairs whose records are gone, matches under
 * different spellings (umlauts, case, spaces, invisible characters), namesakes told apart by
 * e-mail or birthday, duplicates on either side, possible duplicates with stored decisions,
 * partner ids to restore, couple records, unmapped categories, records outside the conditions.
 * The plan (operations, log entries, possible duplicates, blockers, digest) is pinned by counts
 * and by a hash of its full content, so that restructuring the planner for speed cannot change
 * what it plans.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeFingerprint, valueHash } from '../../src/sync/fingerprint.ts';
import { fieldStates } from '../../src/sync/field-sync.ts';
import type { DuplicateDecision, FieldValues, Pair, SyncRecord } from '../../src/sync/model.ts';
import type { Plan } from '../../src/sync/plan.ts';
import { planJob, type PlanInput } from '../../src/sync/planner.ts';
import { CT_IDENTITY, MEMBERS_ONLY, OG_IDENTITY, PROPERTY_PAIRS, job } from './fixtures.ts';

const SIZE = 2_400;
const FIRST = ['Anna', 'Jürgen', 'Clara', 'Paul', 'Hans-Peter', 'Eva', 'Lukas', 'Marie', 'Jonas', 'Sophie', 'Björn'];
const LAST = ['Müller', 'Schmidt', 'Weiß', 'Fischer', 'Weber', 'Meyer', 'von Arnim', 'Becker', 'Schulz', 'Hoffmann', 'Groß'];

/** The spellings Optigem data comes in, all meaning the same name (normalize.ts). */
function respell(name: string, n: number): string {
  switch (n % 6) {
    case 1:
      return name.replace(/ü/g, 'ue').replace(/ö/g, 'oe').replace(/ä/g, 'ae').replace(/ß/g, 'ss');
    case 2:
      return name.toUpperCase();
    case 3:
      return ` ${name}  `;
    case 4:
      return `${name}\u200b`;
    default:
      return name;
  }
}

interface Person {
  readonly first: string;
  readonly last: string;
  readonly email: string | null;
  readonly birthday: string | null;
  readonly city: string | null;
  readonly status: '1' | '2' | '3' | null;
}

function person(n: number): Person {
  return {
    first: `${FIRST[n % FIRST.length]}${n % 5 === 0 ? '' : Math.floor(n / 121)}`,
    last: LAST[Math.floor(n / 11) % LAST.length] ?? 'X',
    email: n % 4 === 0 ? null : `p${n}@example.org`,
    birthday: n % 3 === 0 ? null : `19${String(40 + (n % 60)).padStart(2, '0')}-0${1 + (n % 9)}-1${n % 10}`,
    city: n % 7 === 0 ? null : n % 2 ? 'Köln' : 'Bonn',
    status: n % 17 === 0 ? null : n % 19 === 0 ? '3' : n % 2 ? '1' : '2',
  };
}

const CATEGORY = { '1': '150', '2': '160', '3': '999' } as const;

function ctValues(p: Person): FieldValues {
  return { firstName: p.first, lastName: p.last, email: p.email, birthday: p.birthday, city: p.city, statusId: p.status };
}

function ogValues(p: Person, n: number): FieldValues {
  return {
    Vorname: respell(p.first, n),
    Nachname: respell(p.last, n + 1),
    EMail: p.email === null ? null : n % 9 === 0 ? p.email.toUpperCase() : p.email,
    Geburtsdatum: p.birthday,
    Ort: p.city,
    Kategorien: p.status === null ? ['200'] : [CATEGORY[p.status], ...(n % 5 === 0 ? ['200'] : [])],
  };
}

function at(n: number, offset: number): string | null {
  return n % 23 === 0 ? null : new Date(Date.UTC(2026, 0, 1) + (n * 7 + offset) * 60_000).toISOString();
}

/**
 * Per person number n < SIZE: a fifth already paired (some in sync as remembered, some changed
 * on one side or both since), most of the rest on both sides unpaired, one in seven only in
 * Optigem, one in nine only in ChurchTools (some of them namesakes of others); every 31st
 * twice in Optigem and every 37th twice in ChurchTools; couple records, partner ids and
 * archived records sprinkled in. Ids are not in id order on purpose.
 */
function world(options: { conditions?: boolean; partnerNotes?: boolean } = {}): PlanInput {
  const ct: SyncRecord[] = [];
  const og: SyncRecord[] = [];
  const pairs: Pair[] = [];
  const decisions: DuplicateDecision[] = [];
  for (let n = 0; n < SIZE; n++) {
    const p = person(n);
    const ctId = String(SIZE - n);
    const ogId = String(50_000 + n);
    const onlyOg = n % 7 === 3;
    const onlyCt = !onlyOg && n % 9 === 4;
    // A namesake with another e-mail: a possible duplicate rather than a match.
    const other = n % 13 === 0 ? { ...p, email: `other${n}@example.org`, birthday: null } : p;
    const c: SyncRecord = {
      id: ctId,
      modifiedAt: at(n, 0),
      properties: ctValues(p),
      ...(n % 41 === 0 ? { archived: true } : {}),
      ...(n % 29 === 0 && !onlyCt ? { partnerHint: ogId } : {}),
    };
    const o: SyncRecord = { id: ogId, modifiedAt: at(n, n % 3 === 0 ? 5 : -5), properties: ogValues(onlyOg ? other : p, n) };
    if (!onlyOg) ct.push(c);
    if (!onlyCt) og.push(o);
    if (n % 5 === 0 && !onlyOg && !onlyCt) {
      const hashes = new Map<string, string>();
      for (const state of fieldStates(PROPERTY_PAIRS, c, o)) {
        if (state.comparable.churchtools === state.comparable.optigem) hashes.set(state.pair.key, valueHash(state.comparable.churchtools));
      }
      const fp = n % 10 === 0 ? encodeFingerprint(hashes) : '';
      pairs.push({ ct: ctId, og: ogId, status: n % 15 === 0 ? 'conflict' : 'synced', fp, at: n % 20 === 0 ? 1_767_225_600 : 0 });
      // Changed since: ChurchTools, Optigem or both.
      if (n % 25 === 0) ct[ct.length - 1] = { ...c, properties: { ...c.properties, city: 'Neustadt' }, modifiedAt: '2026-06-01T00:00:00Z' };
      if (n % 35 === 0) og[og.length - 1] = { ...o, properties: { ...o.properties, Ort: 'Altstadt' }, modifiedAt: '2026-06-02T00:00:00Z' };
    }
    if (n % 31 === 1) og.push({ id: String(90_000 + n), modifiedAt: at(n, 1), properties: ogValues(p, n + 2) });
    if (n % 37 === 2) ct.push({ id: String(3 * SIZE + n), modifiedAt: at(n, 2), properties: ctValues(p) });
    if (n % 53 === 7) og.push({ id: String(95_000 + n), modifiedAt: at(n, 3), properties: { ...ogValues(p, n), Vorname: `${p.first} und Erika`, Anrede: 'Herr und Frau' } });
    if (n % 47 === 5) ct.push({ id: String(4 * SIZE + n), modifiedAt: at(n, 4), properties: { ...ctValues(p), lastName: null } });
    if (n % 61 === 8) decisions.push({ source: 'optigem', sourceId: ogId, kind: 'create', basis: 'stale', decidedAt: '2026-01-01T00:00:00Z' });
  }
  // Pairs whose records are gone on one side (the survivor is one of those only on its side)
  // or both, and one already marked deleted.
  for (let i = 0; i < 30; i++) {
    const onlyOg = 7 * i + 3;
    const onlyCt = 9 * i + 4;
    const ctId = i % 3 === 1 && onlyCt % 7 !== 3 ? String(SIZE - onlyCt) : `gone-${i}`;
    const ogId = i % 3 === 0 ? String(50_000 + onlyOg) : `gone-og-${i}`;
    pairs.push({ ct: ctId, og: ogId, status: i === 29 ? 'deleted' : 'synced', fp: '', at: 0 });
  }
  const conditions = options.conditions ? MEMBERS_ONLY : {};
  return {
    job: job(
      {
        link: { mode: 'newerWins' },
        import: { defaults: { statusId: '9' } },
        export: { defaults: {} },
        updateProperties: { conflictProtection: true },
        archiveInChurchTools: {},
        deleteInOptigem: {},
      },
      conditions,
    ),
    propertyPairs: PROPERTY_PAIRS,
    records: { churchtools: { records: ct, complete: true, problems: [] }, optigem: { records: og, complete: true, problems: [] } },
    identity: { churchtools: CT_IDENTITY, optigem: OG_IDENTITY },
    listFields: { churchtools: [], optigem: ['Kategorien'] },
    pairs,
    decisions,
    massChangeThreshold: 0.5,
    ...(options.partnerNotes ? { partnerNotes: { perRun: 100 } } : {}),
  };
}

function summary(plan: Plan) {
  const count = (keys: readonly string[]) => {
    const counts: Record<string, number> = {};
    for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
    return counts;
  };
  return {
    operations: count(plan.operations.map((op) => `${op.action}:${op.op}`)),
    entries: count(plan.entries.map((entry) => entry.message.key)),
    possibleDuplicates: plan.possibleDuplicates.length,
    blockers: plan.blockers.length,
    content: createHash('sha256')
      .update(JSON.stringify([plan.operations, plan.entries, plan.blockers, plan.possibleDuplicates, plan.partnerNotes, plan.massChange, plan.digest]))
      .digest('hex')
      .slice(0, 16),
  };
}

/** What the plan of the base population holds (its content pinned by hash). */
const BASE = {
  blockers: 0,
  content: 'abc09cf7726e6cb0',
  entries: {
    'log.conflict.bothChanged': 6,
    'log.conflict.undecidable': 51,
    'log.couple.ambiguous': 2,
    'log.couple.split': 44,
    'log.create.created': 487,
    'log.create.decisionOutdated.changed': 1,
    'log.create.exists': 358,
    'log.create.possibleDuplicate': 39,
    'log.link.duplicate': 247,
    'log.link.linked': 1324,
    'log.link.unified': 893,
    'log.pair.bothGone': 11,
    'log.pair.conflict': 13,
    'log.pair.synced': 243,
    'log.remove.archived': 9,
    'log.remove.deleted': 10,
    'log.restore.linked': 50,
    'log.unmappedSkipped': 125,
    'log.update.newer': 281,
  },
  operations: {
    'archiveInChurchTools:archive': 9,
    'deleteInOptigem:delete': 10,
    'export:create': 219,
    'import:couple': 44,
    'import:create': 268,
    'link:link': 1324,
    'link:update': 893,
    'pairs:pair': 267,
    'restore:link': 50,
    'updateProperties:update': 281,
  },
  possibleDuplicates: 40,
};

describe('person plan of a generated population (2,400 people per side)', () => {
  it('links, restores, imports, exports, maintains, archives and deletes as before', () => {
    expect(summary(planJob(world()))).toEqual(BASE);
  });

  it('takes candidates only from records meeting their conditions, matches among all', () => {
    expect(summary(planJob(world({ conditions: true })))).toEqual({
      blockers: 0,
      content: '85f220f282aa41ea',
      entries: {
        'log.conflict.undecidable': 19,
        'log.couple.ambiguous': 2,
        'log.couple.incomplete': 24,
        'log.couple.split': 20,
        'log.create.created': 217,
        'log.create.decisionOutdated.changed': 1,
        'log.create.exists': 163,
        'log.create.possibleDuplicate': 26,
        'log.link.duplicate': 117,
        'log.link.linked': 586,
        'log.link.unified': 356,
        'log.pair.bothGone': 11,
        'log.pair.conflict': 4,
        'log.pair.partnerGone': 10,
        'log.pair.synced': 158,
        'log.remove.archived': 5,
        'log.remove.deleted': 4,
        'log.restore.linked': 50,
        'log.update.newer': 117,
      },
      operations: {
        'archiveInChurchTools:archive': 5,
        'deleteInOptigem:delete': 4,
        'export:create': 97,
        'import:couple': 20,
        'import:create': 120,
        'link:link': 586,
        'link:update': 356,
        'pairs:pair': 183,
        'restore:link': 50,
        'updateProperties:update': 117,
      },
      possibleDuplicates: 27,
    });
  });

  it('gives persons their partner ids at most per run', () => {
    expect(summary(planJob(world({ partnerNotes: true })))).toEqual({ ...BASE, content: '3f06a29a19ae8ac9', entries: { ...BASE.entries, 'log.pair.partnerNotes': 1 } });
  });
});
