import { describe, expect, it } from 'vitest';
import { run, simulate } from '../../src/sync/engine.ts';
import { MemoryDecisionStore } from '../../src/sync/memory.ts';
import type { DuplicateDecision } from '../../src/sync/model.ts';
import { normalizeEmail, normalizeName } from '../../src/sync/normalize.ts';
import { MEMBERS_ONLY, STATUS, ctPerson, job, ogPerson, world, type World } from './fixtures.ts';

const LINK_AND_IMPORT = job({ link: { mode: 'newerWins' }, import: { defaults: {} } }, MEMBERS_ONLY);
const IMPORT = job({ import: { defaults: {} } }, MEMBERS_ONLY);
const EXPORT = job({ export: { defaults: {} } }, MEMBERS_ONLY);

/** The scenario: Optigem's Emma Bauer (category 150) and ChurchTools #89, same birthday, other e-mail. */
function emmaBauer(options: { archived?: boolean } = {}): World & { decisions: MemoryDecisionStore } {
  const decisions = new MemoryDecisionStore();
  const w = world(undefined, { decisions });
  w.ct.add({ id: '89', properties: ctPerson('Emma', 'Bauer', { email: 'emma.bauer@example.org', birthday: '1984-03-12', city: 'Ulm', statusId: STATUS.member }), ...(options.archived ? { archived: true } : {}) });
  w.og.add({ id: '4711', properties: ogPerson('Emma', 'Bauer', { EMail: 'e.bauer@mail.example', Geburtsdatum: '1984-03-12', Ort: 'Ulm', Kategorien: ['150'] }) });
  return { ...w, decisions };
}

async function decide(w: { decisions: MemoryDecisionStore }, decision: Omit<DuplicateDecision, 'source' | 'sourceId' | 'basis'>, basis: string): Promise<void> {
  await w.decisions.decide('conn-1', 'person', [{ source: 'optigem', sourceId: '4711', basis, ...decision }]);
}

describe('import and export never create a possible duplicate (issue 14 §1)', () => {
  // Issue 14: "A create action never creates a record when the target system holds a person with the same
  // normalised first and last name (archived people included) who is not a confident match. Such a record
  // becomes a possible duplicate in the plan ("braucht eine Entscheidung"), with its candidates side by side."
  it('holds Optigem\'s Emma Bauer (same name, same birthday, other e-mail) as a possible duplicate of ChurchTools #89 instead of creating her', async () => {
    const w = emmaBauer();
    const outcome = await simulate(LINK_AND_IMPORT, w.context);
    expect(outcome.plan?.operations.filter((op) => op.op === 'create' || op.op === 'link')).toEqual([]);
    expect(outcome.execution.counters.churchtools.create).toBe(0);
    expect(outcome.execution.possibleDuplicateCount).toBe(1);
    const [possible] = outcome.plan?.possibleDuplicates ?? [];
    expect(possible).toMatchObject({
      action: 'import',
      record: { system: 'optigem', id: '4711', firstName: 'Emma', lastName: 'Bauer', email: 'e.bauer@mail.example', birthday: '1984-03-12' },
      candidates: [{ system: 'churchtools', id: '89', email: 'emma.bauer@example.org', birthday: '1984-03-12', archived: false, paired: false }],
    });
    expect(possible?.candidates[0]?.reasons).toContain('sameBirthday');
    const entry = outcome.entries.find((e) => e.seq === possible?.seq);
    expect(entry).toMatchObject({ type: 'duplicate', level: 'warning', ogId: '4711', message: { key: 'log.create.possibleDuplicate', args: { candidates: 'Bauer, Emma (#89)' } } });

    const ran = await run(LINK_AND_IMPORT, w.context);
    expect(w.ct.records.size).toBe(1);
    expect(w.ct.createContexts).toEqual([]);
    expect(ran.execution.possibleDuplicateCount).toBe(1);
  });

  it('counts an archived ChurchTools person with the same name as a candidate', async () => {
    const w = emmaBauer({ archived: true });
    const outcome = await simulate(IMPORT, w.context);
    expect(outcome.plan?.operations).toEqual([]);
    expect(outcome.plan?.possibleDuplicates[0]?.candidates).toMatchObject([{ id: '89', archived: true }]);
  });

  it('links a confident match (same name and e-mail) and creates nothing', async () => {
    const w = emmaBauer();
    w.og.edit('4711', { EMail: 'emma.bauer@example.org' });
    const outcome = await run(LINK_AND_IMPORT, w.context);
    expect(outcome.execution.counters.both.link).toBe(1);
    expect(outcome.execution.counters.churchtools.create).toBe(0);
    expect(outcome.plan?.possibleDuplicates).toEqual([]);
    expect(await w.pairs.load('conn-1', 'person')).toMatchObject([{ ct: '89', og: '4711' }]);
  });

  it('creates a person whose name nobody in the target has, without force', async () => {
    const w = emmaBauer();
    w.og.add({ id: '4712', properties: ogPerson('Paul', 'Neumann', { Kategorien: ['150'] }) });
    await run(IMPORT, w.context);
    expect(w.ct.createContexts).toHaveLength(1);
    expect(w.ct.createContexts[0]?.force).toBeUndefined();
  });

  it('holds a ChurchTools member for export when Optigem has a same-name person with another birthday', async () => {
    const w = world();
    w.ct.add({ id: '7', properties: ctPerson('Karl', 'Weber', { birthday: '1970-01-01', statusId: STATUS.member }) });
    w.og.add({ id: '300', properties: ogPerson('Karl', 'Weber', { Geburtsdatum: '1999-09-09' }) });
    const outcome = await run(EXPORT, w.context);
    expect(w.og.createContexts).toEqual([]);
    expect(outcome.plan?.possibleDuplicates).toMatchObject([{ action: 'export', record: { id: '7' }, candidates: [{ id: '300', system: 'optigem' }] }]);
  });
});

describe('decisions on possible duplicates', () => {
  // Issue 14: "The admin decides per record in the Sync module: link to this candidate, or create anyway;
  // the decision is stored and the next simulation follows it."
  it('"create anyway" creates the record, and only then with force', async () => {
    const w = emmaBauer();
    w.ct.refuseSameName = true;
    const basis = (await simulate(IMPORT, w.context)).plan?.possibleDuplicates[0]?.basis ?? '';
    await decide(w, { kind: 'create' }, basis);
    const simulated = await simulate(IMPORT, w.context);
    expect(simulated.plan?.operations).toMatchObject([{ op: 'create', target: 'churchtools', sourceId: '4711', force: true }]);
    expect(simulated.entries[0]?.message.key).toBe('log.create.createdAnyway');
    const ran = await run(IMPORT, w.context);
    expect(ran.execution.counters.churchtools.create).toBe(1);
    expect(w.ct.createContexts.map((c) => c.force)).toEqual([true]);
    expect(await w.pairs.load('conn-1', 'person')).toMatchObject([{ og: '4711' }]);
  });

  it('"link to candidate #89" links the two and remembers only the fields that agree', async () => {
    const w = emmaBauer();
    const basis = (await simulate(IMPORT, w.context)).plan?.possibleDuplicates[0]?.basis ?? '';
    await decide(w, { kind: 'link', candidateId: '89' }, basis);
    const ran = await run(IMPORT, w.context);
    expect(ran.plan?.operations).toMatchObject([{ op: 'link', action: 'import', ct: '89', og: '4711' }]);
    expect(ran.execution.counters.both.link).toBe(1);
    expect(w.ct.createContexts).toEqual([]);
    const [pair] = await w.pairs.load('conn-1', 'person');
    expect(pair).toMatchObject({ ct: '89', og: '4711', status: 'synced' });
    expect(pair?.fp).toContain('bd');
    expect(pair?.fp).not.toContain('em');
    // Linked: the next simulation has nothing left to decide.
    expect((await simulate(IMPORT, w.context)).plan?.possibleDuplicates).toEqual([]);
  });

  it('does not follow a decision whose candidate changed since, and says so', async () => {
    const w = emmaBauer();
    const basis = (await simulate(IMPORT, w.context)).plan?.possibleDuplicates[0]?.basis ?? '';
    await decide(w, { kind: 'link', candidateId: '89' }, basis);
    w.ct.edit('89', { birthday: '1985-03-12' });
    const outcome = await run(IMPORT, w.context);
    expect(outcome.plan?.operations).toEqual([]);
    expect(outcome.plan?.possibleDuplicates[0]).toMatchObject({ outdated: { reason: 'changed', decision: { kind: 'link', candidateId: '89' } } });
    expect(outcome.entries[0]?.message.key).toBe('log.create.decisionOutdated.changed');
  });

  it('does not follow a link to a candidate that is gone when another same-name person remains', async () => {
    const w = emmaBauer();
    w.ct.add({ id: '90', properties: ctPerson('Emma', 'Bauer', { email: 'other@example.org' }) });
    const basis = (await simulate(IMPORT, w.context)).plan?.possibleDuplicates[0]?.basis ?? '';
    await decide(w, { kind: 'link', candidateId: '89' }, basis);
    w.ct.records.delete('89');
    const outcome = await simulate(IMPORT, w.context);
    expect(outcome.plan?.operations).toEqual([]);
    expect(outcome.plan?.possibleDuplicates[0]).toMatchObject({ outdated: { reason: 'candidateGone' }, candidates: [{ id: '90' }] });
  });

  it('does not follow "create anyway" once another same-name person has appeared', async () => {
    const w = emmaBauer();
    const basis = (await simulate(IMPORT, w.context)).plan?.possibleDuplicates[0]?.basis ?? '';
    await decide(w, { kind: 'create' }, basis);
    w.ct.add({ id: '91', properties: ctPerson('Emma', 'Bauer', { email: 'third@example.org' }) });
    const outcome = await simulate(IMPORT, w.context);
    expect(outcome.plan?.operations).toEqual([]);
    expect(outcome.plan?.possibleDuplicates[0]?.outdated?.reason).toBe('changed');
  });
});

describe('stored decisions that cannot be read', () => {
  it('refuse the plan with a read failure instead of treating every record as undecided', async () => {
    const w = emmaBauer();
    const context = { ...w.context, decisions: { load: async () => Promise.reject(new Error('decisions/conn-1:person:0: invalid content')) } };
    const outcome = await run(IMPORT, context);
    // A failed read of any input (the decisions too) makes the run incomplete: nothing is written.
    expect(outcome.execution).toMatchObject({ status: 'incomplete', problems: [expect.objectContaining({ key: 'problem.readFailed' })] });
    expect(w.ct.createContexts).toEqual([]);
  });
});

describe('a duplicate refusal of the target system during a run', () => {
  // Issue 14: "ChurchTools' duplicate answer during a run is a "possible duplicate" outcome of that record,
  // never a silent retry."
  it('becomes the record\'s possible-duplicate outcome, logged and counted, with no forced retry', async () => {
    const w = world();
    w.ct.refuseSameName = true;
    w.og.add({ id: '4711', properties: ogPerson('Emma', 'Bauer', { Kategorien: ['150'] }) });
    w.og.add({ id: '4712', properties: ogPerson('Paul', 'Neumann', { Kategorien: ['150'] }) });
    // Someone adds Emma Bauer in ChurchTools after the run read it.
    const read = w.ct.readAll.bind(w.ct);
    w.ct.readAll = async (domain) => {
      const result = await read(domain);
      w.ct.add({ id: '89', properties: ctPerson('Emma', 'Bauer') });
      return result;
    };
    const outcome = await run(IMPORT, w.context);
    expect(w.ct.createContexts.filter((c) => c.force === true)).toHaveLength(0);
    expect(w.ct.createContexts).toHaveLength(2);
    expect(outcome.execution.counters.churchtools.create).toBe(1);
    expect(outcome.execution.errorCount).toBe(0);
    expect(outcome.execution.possibleDuplicateCount).toBe(1);
    expect(outcome.entries.find((e) => e.ogId === '4711')).toMatchObject({ type: 'duplicate', state: 'skipped', level: 'warning', message: { key: 'log.create.refusedAsDuplicate' } });
    expect((await w.pairs.load('conn-1', 'person')).map((p) => p.og)).toEqual(['4712']);
  });
});

describe('names that differ only in characters nobody sees', () => {
  // Issue 14: "Names are normalised against invisible and format characters too (zero-width space,
  // bidirectional controls, non-breaking space, soft hyphen): a name that differs only by such a character
  // counts as the same name."
  it.each([
    ['zero-width space', 'Em\u200Bma'],
    ['zero-width joiner', 'Em\u200Dma'],
    ['zero-width non-joiner', 'Em\u200Cma'],
    ['byte order mark', '\uFEFFEmma'],
    ['left-to-right mark', 'Emma\u200E'],
    ['right-to-left mark', '\u200FEmma'],
    ['bidirectional embedding', '\u202AEmma\u202C'],
    ['bidirectional override', '\u202EEmma\u202C'],
    ['bidirectional isolate', '\u2066Emma\u2069'],
    ['soft hyphen', 'Em\u00ADma'],
  ])('%s: the same name', (_what, name) => {
    expect(normalizeName(name)).toBe(normalizeName('Emma'));
  });

  it.each([
    ['no-break space', 'Anna\u00A0Lena'],
    ['narrow no-break space', 'Anna\u202FLena'],
    ['ideographic space', 'Anna\u3000Lena'],
    ['em space and a tab', 'Anna\u2003\tLena'],
  ])('%s counts as one space', (_what, name) => {
    expect(normalizeName(name)).toBe('anna lena');
  });

  it('ignores invisible characters in e-mail addresses too', () => {
    expect(normalizeEmail('emma\u200B.bauer@example.org ')).toBe('emma.bauer@example.org');
  });

  it('import: a zero-width space in the Optigem name no longer creates a visually identical ChurchTools person', async () => {
    const w = world();
    w.ct.add({ id: '89', properties: ctPerson('Emma', 'Bauer', { email: 'emma@example.org' }) });
    w.og.add({ id: '4711', properties: ogPerson('Emma\u200B', 'Bauer', { EMail: 'emma@example.org', Kategorien: ['150'] }) });
    const outcome = await run(LINK_AND_IMPORT, w.context);
    expect(w.ct.createContexts).toEqual([]);
    expect(outcome.execution.counters.both.link).toBe(1);
  });

  it('export: a zero-width space in the ChurchTools name no longer creates a visually identical Optigem person', async () => {
    const w = world();
    w.ct.add({ id: '89', properties: ctPerson('Emma', 'Bau\u200Ber', { statusId: STATUS.member, birthday: '1984-03-12' }) });
    w.og.add({ id: '4711', properties: ogPerson('Emma', 'Bauer', { Geburtsdatum: '1990-01-01' }) });
    const outcome = await run(EXPORT, w.context);
    expect(w.og.createContexts).toEqual([]);
    expect(outcome.plan?.possibleDuplicates).toMatchObject([{ record: { id: '89' }, candidates: [{ id: '4711' }] }]);
  });
});
