import { describe, expect, it } from 'vitest';
import { donorMapping } from '../../src/sync/donors.ts';
import { run, simulate } from '../../src/sync/engine.ts';
import type { PropertyPair } from '../../src/sync/model.ts';
import { PROPERTY_PAIRS, ctPerson, job, ogPerson, world } from './fixtures.ts';

const PAIRS: PropertyPair[] = [
  ...PROPERTY_PAIRS,
  { key: 'str', domain: 'person', churchtools: 'street', optigem: 'Straße' },
  { key: 'zip', domain: 'person', churchtools: 'zip', optigem: 'PLZ' },
  {
    key: 'sx',
    domain: 'person',
    churchtools: 'sexId',
    optigem: 'Geschlecht',
    mapping: { entries: [{ churchtools: '1', optigem: 'male' }, { churchtools: '2', optigem: 'female' }], fallback: { kind: 'skip' } },
  },
];
const KEYS = PAIRS.map((pair) => pair.key);
const address = { Straße: 'Musterweg 1', PLZ: '70597' };
const ctAddress = { street: 'Musterweg 1', zip: '70597' };

function musterRecord(more = {}) {
  return ogPerson('Max und Erika', 'Muster', { Anrede: 'Herr und Frau', Briefanrede: 'Liebe Familie Muster', Geschlecht: null, EMail: 'familie@muster.de', Geburtsdatum: '1970-01-01', ...address, ...more });
}

describe('couple records: one Optigem record, two ChurchTools spouses', () => {
  it('import splits a couple record without ChurchTools partners into two related spouses, paired with the record, and writes nothing to it', async () => {
    const w = world(PAIRS);
    const record = w.og.add({ properties: musterRecord() });
    const importJob = job({ link: { mode: 'newerWins' }, import: { defaults: { statusId: '9' } } }, { keys: KEYS });

    const simulation = await simulate(importJob, w.context);
    const split = simulation.entries.find((entry) => entry.message.key === 'log.couple.split');
    expect(split?.message.args).toEqual({ spouses: 'Max Muster + Erika Muster' });
    expect(w.ct.writes).toEqual([]);
    expect(simulation.execution.counters.churchtools).toMatchObject({ create: 2, update: 1 });

    const outcome = await run(importJob, w.context);
    expect(outcome.execution.counters).toEqual(simulation.execution.counters);
    const created = [...w.ct.records.values()];
    expect(created.map((r) => r.properties)).toEqual([
      expect.objectContaining({ firstName: 'Max', lastName: 'Muster', sexId: '1', street: 'Musterweg 1', email: 'familie@muster.de', statusId: '9', optigemId: record.id }),
      expect.objectContaining({ firstName: 'Erika', lastName: 'Muster', sexId: '2', street: 'Musterweg 1', statusId: '9', optigemId: record.id }),
    ]);
    expect(created[1]?.properties).not.toHaveProperty('email');
    expect(created.some((r) => r.properties['birthday'] !== undefined)).toBe(false);
    const [max, erika] = created.map((r) => r.id) as [string, string];
    expect(w.ct.references.spouses).toEqual({ [max]: erika, [erika]: max });
    expect(await w.pairs.load('conn-1', 'person')).toEqual([
      expect.objectContaining({ ct: max, og: record.id, sp: erika }),
      expect.objectContaining({ ct: erika, og: record.id, sp: max }),
    ]);
    expect(w.og.writes).toEqual([]);

    const again = await run(job({ link: { mode: 'newerWins' }, import: { defaults: {} }, updateProperties: { conflictProtection: true } }, { keys: KEYS }), w.context);
    expect(again.entries.filter((entry) => entry.type !== 'skip')).toEqual([]);
    expect(w.og.writes).toEqual([]);
  });

  it('links two existing spouses with the couple record, and creates only the missing spouse where one exists', async () => {
    const w = world(PAIRS);
    const tobias = w.ct.add({ properties: ctPerson('Tobias', 'Mayer', { ...ctAddress, birthday: '1960-02-02', sexId: '1' }) });
    const petra = w.ct.add({ properties: ctPerson('Petra', 'Mayer', { ...ctAddress }) });
    w.ct.references = { known: {}, problems: [], writable: true, spouses: { [tobias.id]: petra.id, [petra.id]: tobias.id } };
    // "Herr und Frau Tobias Mayer": one first name; the spouse comes from ChurchTools' Spouse relationship.
    const mayer = w.og.add({ properties: ogPerson('Tobias', 'Mayer', { Anrede: 'Herr und Frau', Briefanrede: 'Liebe Familie Mayer', ...address }) });
    const max = w.ct.add({ properties: ctPerson('Max', 'Muster', { ...ctAddress }) });
    const muster = w.og.add({ properties: musterRecord() });

    const outcome = await run(job({ link: { mode: 'newerWins' }, import: { defaults: {} }, updateProperties: { conflictProtection: true } }, { keys: KEYS }), w.context);

    expect(outcome.entries.find((e) => e.ogId === mayer.id)?.message).toEqual({ key: 'log.couple.linked', args: { spouses: 'Mayer, Tobias + Mayer, Petra' } });
    expect(outcome.entries.find((e) => e.ogId === muster.id)?.message).toEqual({ key: 'log.couple.split', args: { spouses: 'Muster, Max + Erika Muster' } });
    expect(w.ct.writes.filter((write) => write.kind === 'create').map((write) => write.values?.['firstName'])).toEqual(['Erika']);
    expect(w.og.writes).toEqual([]);
    expect(w.og.get(mayer.id).properties).not.toHaveProperty('Geburtsdatum', '1960-02-02');
    const pairs = await w.pairs.load('conn-1', 'person');
    expect(pairs.filter((pair) => pair.og === mayer.id).map((pair) => [pair.ct, pair.sp])).toEqual([
      [tobias.id, petra.id],
      [petra.id, tobias.id],
    ]);
    expect(pairs.filter((pair) => pair.og === muster.id).map((pair) => pair.ct)).toContain(max.id);
  });

  it('never links a couple record to one person alone: without import, a missing spouse leaves the record unpaired', async () => {
    const w = world(PAIRS);
    w.ct.add({ properties: ctPerson('Max', 'Muster', { ...ctAddress }) });
    const muster = w.og.add({ properties: musterRecord() });
    const outcome = await run(job({ link: { mode: 'newerWins' } }, { keys: KEYS }), w.context);
    expect(await w.pairs.load('conn-1', 'person')).toEqual([]);
    expect(outcome.entries.find((e) => e.ogId === muster.id)?.message.key).toBe('log.couple.incomplete');
    expect(w.og.writes).toEqual([]);
  });

  it('turns a couple record linked to one spouse alone (before couple pairs) into a couple pair, and unifies nothing into it', async () => {
    const w = world(PAIRS);
    const tobias = w.ct.add({ properties: ctPerson('Tobias', 'Mayer', { ...ctAddress, birthday: '1960-02-02', sexId: '1' }) });
    const petra = w.ct.add({ properties: ctPerson('Petra', 'Mayer', { ...ctAddress }) });
    w.ct.references = { known: {}, problems: [], writable: true, spouses: { [tobias.id]: petra.id, [petra.id]: tobias.id } };
    const mayer = w.og.add({ properties: ogPerson('Tobias', 'Mayer', { Anrede: 'Herr und Frau', ...address }) });
    await w.pairs.save('conn-1', 'person', [{ ct: tobias.id, og: mayer.id, status: 'synced', fp: '', at: 0 }]);
    w.clock.advance();
    w.ct.edit(tobias.id, { city: 'Stuttgart' });

    const maintainOnly = await run(job({ updateProperties: { conflictProtection: true } }, { keys: KEYS }), w.context);
    expect(maintainOnly.plan?.operations).toEqual([]);

    await run(job({ link: { mode: 'newerWins' } }, { keys: KEYS }), w.context);
    expect(w.og.writes).toEqual([]);
    expect((await w.pairs.load('conn-1', 'person')).map((pair) => [pair.ct, pair.sp])).toEqual([
      [tobias.id, petra.id],
      [petra.id, tobias.id],
    ]);
  });

  it('exports no second Optigem record for spouses a couple record stands for', async () => {
    const w = world(PAIRS);
    w.ct.add({ properties: ctPerson('Max', 'Muster', { ...ctAddress }) });
    w.ct.add({ properties: ctPerson('Erika', 'Muster', { ...ctAddress }) });
    w.ct.add({ properties: ctPerson('Otto', 'Solo') });
    w.og.add({ properties: musterRecord() });
    const outcome = await run(job({ export: { defaults: {} } }, { keys: KEYS }), w.context);
    expect(w.og.writes.map((write) => write.values?.['Vorname'])).toEqual(['Otto']);
    expect(outcome.execution.counters.optigem.create).toBe(1);
  });

  it('never removes a couple record because one spouse is gone', async () => {
    const w = world(PAIRS);
    const erika = w.ct.add({ properties: ctPerson('Erika', 'Muster') });
    const muster = w.og.add({ properties: musterRecord() });
    await w.pairs.save('conn-1', 'person', [
      { ct: '77', og: muster.id, status: 'synced', fp: '', at: 0, sp: erika.id },
      { ct: erika.id, og: muster.id, status: 'synced', fp: '', at: 0, sp: '77' },
    ]);
    const outcome = await run(job({ archiveInOptigem: {} }, { keys: KEYS }), w.context);
    expect(w.og.writes).toEqual([]);
    expect(outcome.execution.counters.optigem.archive).toBe(0);
  });
});

describe('the admin corrects a detection', () => {
  it('"not a couple" makes the record an ordinary person again; "these two first names" pairs the named spouses', async () => {
    const anna = { Anrede: 'Frau', Briefanrede: 'Liebe Familie Schmidt' };
    const w = world(PAIRS, { coupleCorrections: [] });
    const ct = w.ct.add({ properties: ctPerson('Hans und Grete', 'Schmidt') });
    const og = w.og.add({ properties: ogPerson('Hans und Grete', 'Schmidt', anna) });
    const linkJob = job({ link: { mode: 'newerWins' } }, { keys: KEYS });
    expect((await simulate(linkJob, w.context)).plan?.operations).toEqual([]);
    const asSingle = await simulate(linkJob, { ...w.context, coupleCorrections: [{ og: og.id, kind: 'single' }] });
    expect(asSingle.plan?.operations).toEqual([expect.objectContaining({ op: 'link', ct: ct.id, og: og.id })]);

    const w2 = world(PAIRS);
    const tobias = w2.ct.add({ properties: ctPerson('Tobias', 'Mayer', ctAddress) });
    const petra = w2.ct.add({ properties: ctPerson('Petra', 'Mayer', ctAddress) });
    const mayer = w2.og.add({ properties: ogPerson('Tobias', 'Mayer', { Anrede: 'Herr und Frau', ...address }) });
    const corrected = await run(linkJob, { ...w2.context, coupleCorrections: [{ og: mayer.id, kind: 'couple', firstNames: ['Tobias', 'Petra'] }] });
    expect(corrected.entries.find((e) => e.ogId === mayer.id)?.message).toEqual({ key: 'log.couple.linkedRelated', args: { spouses: 'Mayer, Tobias + Mayer, Petra' } });
    expect(w2.ct.references.spouses).toEqual({ [tobias.id]: petra.id, [petra.id]: tobias.id });
  });
});

describe('donations of a couple record', () => {
  it('map to donatorId = the spouse with the lower ChurchTools id, donatorSpouseId = the other; either spouse alone means the record too', () => {
    const mapping = donorMapping(
      [
        { ct: '12', og: '1050', status: 'synced', fp: '', at: 0, sp: '9' },
        { ct: '9', og: '1050', status: 'synced', fp: '', at: 0, sp: '12' },
      ],
      { spouses: {}, couples: [] },
    );
    expect(mapping.entries).toEqual([
      { churchtools: '9,12', optigem: '1050' },
      { churchtools: '12,9', optigem: '1050' },
      { churchtools: '9', optigem: '1050' },
      { churchtools: '12', optigem: '1050' },
    ]);
  });
});
