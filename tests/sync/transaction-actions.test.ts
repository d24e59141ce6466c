import { describe, expect, it } from 'vitest';
import { run, simulate } from '../../src/sync/engine.ts';
import type { Job } from '../../src/sync/model.ts';
import type { World } from './fixtures.ts';
import { notUpdatableInPlace } from '../../src/sync/transaction-fields.ts';
import { ctBooking, ogBooking, transactionWorld, txJob } from './transaction-fixtures.ts';

const LINK = { link: { mode: 'newerWins' as const } };
const DONATIONS_ONLY_CT = [{ field: 'isDonation', values: ['true'] }];
const PROJECT_20_OG = [{ field: 'project', values: ['20'] }];

async function linked(w: World, count = 1) {
  const ids: { ct: string; og: string }[] = [];
  for (let i = 0; i < count; i++) {
    const ct = w.ct.add({ properties: ctBooking({ doc: `D-${i}`, donor: '100' }) });
    const og = w.og.add({ properties: ogBooking({ doc: `D-${i}`, donor: '5' }) });
    ids.push({ ct: ct.id, og: og.id });
  }
  const outcome = await run(txJob(LINK), w.context);
  expect(outcome.execution.counters.both.link).toBe(count);
  return ids;
}

async function pairs(w: World) {
  return w.pairs.load('conn-1', 'transaction');
}

async function twice(job: Job, w: World) {
  const first = await run(job, w.context, { confirmMassChange: true });
  const second = await simulate(job, w.context);
  return { first, second };
}

describe('transaction action "link transactions & unify properties"', () => {
  // "Two transactions are linked when all their fields are identical in both systems. The exception is the donor IDs."
  it('links two bookings whose mapped fields are all identical, even when the donors differ', async () => {
    const w = await transactionWorld();
    const ct = w.ct.add({ properties: ctBooking({ donor: null }) });
    const og = w.og.add({ properties: ogBooking({ donor: '5' }) });
    await run(txJob(LINK), w.context);
    expect(await pairs(w)).toMatchObject([{ ct: ct.id, og: og.id }]);
  });

  it('does not link bookings that differ in any other mapped field (here the booking text)', async () => {
    const w = await transactionWorld();
    w.ct.add({ properties: ctBooking({ text: 'Spende Mission' }) });
    w.og.add({ properties: ogBooking({ text: 'Spende Jugend' }) });
    const outcome = await run(txJob(LINK), w.context);
    expect(outcome.execution.counters.both.link).toBe(0);
    expect(await pairs(w)).toEqual([]);
  });

  // "…checks whether there is a matching transaction in the other system … no conditions are taken into account."
  it('finds the match in the whole other system, outside its conditions', async () => {
    const w = await transactionWorld();
    w.ct.add({ properties: ctBooking() });
    w.og.add({ properties: ogBooking() });
    const outcome = await run(txJob(LINK, { og: PROJECT_20_OG }), w.context);
    expect(outcome.execution.counters.both.link).toBe(1);
  });

  // "For both systems, the system checks which transactions meet the respective conditions."
  it('starts from no booking when neither side meets its conditions', async () => {
    const w = await transactionWorld();
    w.ct.add({ properties: ctBooking({ soll: '4200', haben: '1200' }) });
    w.og.add({ properties: ogBooking({ soll: '4200', haben: '1200' }) });
    const outcome = await run(txJob(LINK, { ct: DONATIONS_ONLY_CT, og: PROJECT_20_OG }), w.context);
    expect(outcome.execution.counters.both.link).toBe(0);
  });

  it('reports two equal candidates as a duplicate and links nothing', async () => {
    const w = await transactionWorld();
    w.ct.add({ properties: ctBooking() });
    w.og.add({ properties: ogBooking({ donor: '5' }) });
    w.og.add({ properties: ogBooking({ donor: '7' }) });
    const outcome = await run(txJob(LINK), w.context);
    expect(outcome.execution.counters.both.link).toBe(0);
    const duplicates = outcome.entries.filter((entry) => entry.type === 'duplicate');
    expect(duplicates).toHaveLength(1);
    expect(duplicates[0]?.message.key).toBe('log.link.bookingDuplicate');
  });

  // "Only the properties selected for this sync job will be unified."
  it('unifies the selected donor once: an empty ChurchTools donor gets the Optigem donor through the person pairs', async () => {
    const w = await transactionWorld();
    const ct = w.ct.add({ properties: ctBooking({ donor: null }) });
    w.og.add({ properties: ogBooking({ donor: '5' }) });
    await run(txJob(LINK), w.context);
    expect(w.ct.get(ct.id).properties['donor']).toBe('100');
  });

  it('leaves the donor alone when the donor property pair is not selected', async () => {
    const w = await transactionWorld();
    const ct = w.ct.add({ properties: ctBooking({ donor: null }) });
    w.og.add({ properties: ogBooking({ donor: '5' }) });
    await run(txJob(LINK, { keys: ['td', 'ta', 'tn', 'tt'] }), w.context);
    expect(w.ct.get(ct.id).properties['donor']).toBeNull();
    expect(await pairs(w)).toHaveLength(1);
  });

  // "This action unifies properties only once … kept in sync using 'Maintain Transaction Pairs'."
  it('does not touch a linked pair again on later runs of the link action alone', async () => {
    const w = await transactionWorld();
    const [pair] = await linked(w);
    w.clock.advance();
    w.og.edit(pair!.og, { text: 'Spende (korrigiert)' });
    const outcome = await simulate(txJob(LINK), w.context);
    expect(outcome.plan?.operations).toEqual([]);
  });

  it('a second run changes nothing', async () => {
    const w = await transactionWorld();
    w.ct.add({ properties: ctBooking({ donor: '101,102' }) });
    w.og.add({ properties: ogBooking({ donor: '7' }) });
    const { second } = await twice(txJob(LINK), w);
    expect(second.plan?.operations).toEqual([]);
  });
});

describe('transaction action "import transactions"', () => {
  // "The linked system checks which transactions meet the conditions for the linked system."
  it('creates ChurchTools transactions only from Optigem bookings meeting the Optigem conditions', async () => {
    const w = await transactionWorld();
    w.og.add({ properties: ogBooking({ doc: 'A', project: '20' }) });
    w.og.add({ properties: ogBooking({ doc: 'B', project: '10' }) });
    await run(txJob({ import: { defaults: {} } }, { og: PROJECT_20_OG }), w.context);
    expect([...w.ct.records.values()].map((r) => r.properties['documentNumber'])).toEqual(['A']);
  });

  // "…whether a matching transaction already exists in the local system … The conditions for the local system do not play a role."
  it('skips an Optigem booking that matches a ChurchTools transaction outside the ChurchTools conditions', async () => {
    const w = await transactionWorld();
    w.ct.add({ properties: ctBooking({ soll: '1200', haben: '4200' }) });
    w.og.add({ properties: ogBooking({ soll: '1200', haben: '4200' }) });
    const outcome = await run(txJob({ import: { defaults: {} } }, { ct: DONATIONS_ONLY_CT }), w.context);
    expect(outcome.execution.counters.churchtools.create).toBe(0);
    expect(outcome.entries.find((entry) => entry.message.key === 'log.create.bookingExists')).toBeDefined();
  });

  // "Only the properties selected for this sync job will be transferred."
  it('transfers only the selected properties', async () => {
    const w = await transactionWorld();
    w.og.add({ properties: ogBooking({ donor: '5' }) });
    await run(txJob({ import: { defaults: {} } }, { keys: ['td', 'ta', 'tn', 'tt', 'tk', 'tg'] }), w.context);
    const created = [...w.ct.records.values()][0]!;
    // A donation: the money arrives on the bank (Konto), booked to the donation account (Gegenkonto).
    expect(created.properties).toEqual({ documentDate: '2026-03-01', amount: 5000, documentNumber: 'D-1', note: 'Spende', account: '1200', contraAccount: '8000' });
  });

  // "Newly created transactions are linked to the corresponding transaction in the connected system."
  it('links each created transaction, and the next run changes nothing', async () => {
    const w = await transactionWorld();
    const og = w.og.add({ properties: ogBooking({ donor: '5' }) });
    const { first, second } = await twice(txJob({ import: { defaults: {} }, updateProperties: { conflictProtection: true } }), w);
    expect(first.execution.counters.churchtools.create).toBe(1);
    expect((await pairs(w))[0]?.og).toBe(og.id);
    expect(second.plan?.operations).toEqual([]);
  });

  it('books a couple donation on donator and spouse: the Optigem couple record becomes donatorId + donatorSpouseId', async () => {
    const w = await transactionWorld();
    w.og.add({ properties: ogBooking({ donor: '7' }) });
    await run(txJob({ import: { defaults: {} } }), w.context);
    expect([...w.ct.records.values()][0]?.properties['donor']).toBe('101,102');
  });

  it('books a single donor on donatorId alone', async () => {
    const w = await transactionWorld();
    w.og.add({ properties: ogBooking({ donor: '5' }) });
    await run(txJob({ import: { defaults: {} } }), w.context);
    expect([...w.ct.records.values()][0]?.properties['donor']).toBe('100');
  });
});

describe('transaction action "export transactions"', () => {
  // "The system checks which transactions meet the criteria for that system."
  it('creates Optigem bookings only from ChurchTools transactions meeting the ChurchTools conditions', async () => {
    const w = await transactionWorld();
    w.ct.add({ properties: ctBooking({ doc: 'Spende' }) });
    w.ct.add({ properties: ctBooking({ doc: 'Miete', soll: '4200', haben: '1200' }) });
    await run(txJob({ export: { defaults: {} } }, { ct: DONATIONS_ONLY_CT }), w.context);
    expect([...w.og.records.values()].map((r) => r.properties['documentNumber'])).toEqual(['Spende']);
  });

  // "The conditions for the connected system do not play a role."
  it('skips a ChurchTools transaction that matches an Optigem booking outside the Optigem conditions', async () => {
    const w = await transactionWorld();
    w.ct.add({ properties: ctBooking() });
    w.og.add({ properties: ogBooking() });
    const outcome = await run(txJob({ export: { defaults: {} } }, { og: PROJECT_20_OG }), w.context);
    expect(outcome.execution.counters.optigem.create).toBe(0);
  });

  it('exports a couple donation booked on either spouse to the couple record', async () => {
    const w = await transactionWorld();
    w.ct.add({ properties: ctBooking({ doc: 'A', donor: '101,102' }) });
    w.ct.add({ properties: ctBooking({ doc: 'B', donor: '102' }) });
    const { second } = await twice(txJob({ export: { defaults: {} }, updateProperties: { conflictProtection: true } }), w);
    expect([...w.og.records.values()].map((r) => r.properties['donor'])).toEqual(['7', '7']);
    expect(second.plan?.operations).toEqual([]);
  });
});

describe('transaction actions for linked pairs', () => {
  // "This action is performed for transaction pairs … that meet the specified conditions in at least one of the two systems."
  it('update properties acts on a pair of which only the Optigem booking meets its conditions', async () => {
    const w = await transactionWorld();
    const [pair] = await linked(w);
    w.clock.advance();
    w.og.edit(pair!.og, { text: 'Spende Jugend', project: '20' });
    await run(txJob({ updateProperties: { conflictProtection: true } }, { ct: [{ field: 'costCenter', values: ['99'] }], og: PROJECT_20_OG }), w.context);
    expect(w.ct.get(pair!.ct).properties).toMatchObject({ note: 'Spende Jugend', costCenter: '20' });
  });

  it('leaves a pair alone when neither booking meets its conditions', async () => {
    const w = await transactionWorld();
    const [pair] = await linked(w);
    w.clock.advance();
    w.og.edit(pair!.og, { text: 'Spende Jugend' });
    const outcome = await simulate(txJob({ updateProperties: { conflictProtection: true } }, { ct: [{ field: 'costCenter', values: ['99'] }], og: PROJECT_20_OG }), w.context);
    expect(outcome.plan?.operations).toEqual([]);
  });

  // "Even properties that have not been filled in are transferred—properties that have been filled in may be overwritten."
  it('update properties transfers an emptied booking text', async () => {
    const w = await transactionWorld();
    const [pair] = await linked(w);
    w.clock.advance();
    w.ct.edit(pair!.ct, { note: '' });
    await run(txJob({ updateProperties: { conflictProtection: true } }), w.context);
    expect(w.og.get(pair!.og).properties['text']).toBe('');
  });

  // "If the details of a transaction have changed in both systems since the last update, data may be lost."
  it('reports a field changed on both sides as a conflict instead of losing one of the values', async () => {
    const w = await transactionWorld();
    const [pair] = await linked(w);
    w.clock.advance();
    w.ct.edit(pair!.ct, { note: 'CT-Text' });
    w.og.edit(pair!.og, { text: 'OG-Text' });
    const outcome = await run(txJob({ updateProperties: { conflictProtection: true } }), w.context);
    expect(outcome.entries.some((entry) => entry.type === 'conflict')).toBe(true);
    expect(w.ct.get(pair!.ct).properties['note']).toBe('CT-Text');
    expect(w.og.get(pair!.og).properties['text']).toBe('OG-Text');
  });

  // Import properties: "This action applies only to properties selected for this sync job."
  it('import properties writes the selected Optigem values into ChurchTools and nothing else', async () => {
    const w = await transactionWorld();
    const [pair] = await linked(w);
    w.clock.advance();
    w.og.edit(pair!.og, { text: 'Neu', amountCents: 7000 });
    await run(txJob({ importProperties: { conflictProtection: true } }, { keys: ['tt'] }), w.context);
    expect(w.ct.get(pair!.ct).properties).toMatchObject({ note: 'Neu', amount: 5000 });
  });

  // The published TransactionUpdate has no spouse, no waiver flag, and needs a cost centre.
  it('writes what ChurchTools can update in place and reports the waiver as not updatable in place', async () => {
    const w = await transactionWorld();
    const [pair] = await linked(w);
    w.clock.advance();
    w.og.edit(pair!.og, { text: 'Aufwandsspende', waiver: true });
    const outcome = await run(txJob({ importProperties: { conflictProtection: true } }), w.context);
    expect(w.ct.get(pair!.ct).properties).toMatchObject({ note: 'Aufwandsspende', isWaiverOfReimbursementOfExpenses: false });
    const notes = outcome.entries.filter((entry) => entry.message.key === 'log.update.notInPlace');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ level: 'warning', system: 'churchtools', message: { args: { fields: 'isWaiverOfReimbursementOfExpenses' } } });
    expect(notes[0]!.changes).toEqual([{ field: 'isWaiverOfReimbursementOfExpenses', oldValue: false, newValue: true }]);
    expect(outcome.entries.find((entry) => entry.type === 'update')?.changes.map((c) => c.field)).toEqual(['note']);

    // Nothing pretends the waiver was synced: the next plan says it again and writes nothing.
    const next = await simulate(txJob({ importProperties: { conflictProtection: true } }), w.context);
    expect(next.entries.filter((entry) => entry.message.key === 'log.update.notInPlace')).toHaveLength(1);
    expect(next.plan?.operations.filter((op) => op.op === 'update')).toEqual([]);
  });

  it('reverses and books anew where the admin chose it, moving the pair to the new booking', async () => {
    const w = await transactionWorld();
    const [pair] = await linked(w);
    w.clock.advance();
    w.og.edit(pair!.og, { text: 'Aufwandsspende', waiver: true });
    const job = txJob({ importProperties: { conflictProtection: true, rebook: true } });
    const simulation = await simulate(job, w.context);
    const planned = simulation.entries.find((entry) => entry.message.key === 'log.update.rebooked');
    expect(planned).toMatchObject({ type: 'update', system: 'churchtools', ctId: pair!.ct, message: { args: { fields: 'isWaiverOfReimbursementOfExpenses' } } });
    expect(w.ct.writes).toEqual([]);

    const outcome = await run(job, w.context);
    expect(outcome.execution.counters).toEqual(simulation.execution.counters);
    expect(outcome.execution.counters.churchtools.update).toBe(1);
    expect(w.ct.writes.map((write) => write.kind)).toEqual(['rebook']);
    const stored = await pairs(w);
    const fresh = stored.find((p) => p.og === pair!.og && p.status === 'synced')!;
    expect(fresh.ct).not.toBe(pair!.ct);
    expect(w.ct.get(fresh.ct).properties).toMatchObject({ note: 'Aufwandsspende', isWaiverOfReimbursementOfExpenses: true, amount: 5000, account: '1200', contraAccount: '8000' });
    // The old booking and its storno stay paired as reversed: no later run exports or deletes them.
    expect(stored.filter((p) => p.og === pair!.og && p.status === 'reversed')).toHaveLength(2);
    const next = await simulate(txJob({ importProperties: { conflictProtection: true, rebook: true }, export: { defaults: {} } }), w.context);
    expect(next.plan?.operations).toEqual([]);
  });

  it('writes nothing to a ChurchTools booking without cost centre, and says why', async () => {
    const w = await transactionWorld();
    const ct = w.ct.add({ properties: ctBooking({ doc: 'N', project: null }) });
    const og = w.og.add({ properties: ogBooking({ doc: 'N', project: null }) });
    await run(txJob(LINK), w.context);
    w.clock.advance();
    w.og.edit(og.id, { text: 'Neu', amountCents: 6000 });
    const outcome = await run(txJob({ importProperties: { conflictProtection: true } }), w.context);
    expect(w.ct.get(ct.id).properties).toMatchObject({ note: 'Spende', amount: 5000 });
    expect(outcome.plan?.operations.filter((op) => op.op === 'update')).toEqual([]);
    const note = outcome.entries.find((entry) => entry.message.key === 'log.update.notInPlace');
    expect(note?.message.args).toEqual({ fields: 'costCenter' });
    expect(note?.changes.map((c) => c.field).sort()).toEqual(['amount', 'note']);
  });

  it('knows what a ChurchTools booking update cannot carry', () => {
    const booking = ctBooking({ donor: '101,102', waiver: false });
    expect(notUpdatableInPlace(booking, { amount: 1 })).toEqual([]);
    expect(notUpdatableInPlace(booking, { donor: '101,103' })).toEqual(['donor']);
    expect(notUpdatableInPlace(booking, { donor: null })).toEqual(['donor']);
    expect(notUpdatableInPlace(ctBooking({ donor: '100' }), { donor: '104' })).toEqual([]);
    expect(notUpdatableInPlace(ctBooking({ donor: '100' }), { donor: '100,104' })).toEqual(['donor']);
    expect(notUpdatableInPlace(booking, { isWaiverOfReimbursementOfExpenses: true })).toEqual(['isWaiverOfReimbursementOfExpenses']);
    expect(notUpdatableInPlace(booking, { costCenter: null })).toEqual(['costCenter']);
    expect(notUpdatableInPlace(ctBooking({ project: null }), { costCenter: '20' })).toEqual([]);
  });

  it('export properties writes the ChurchTools amount into Optigem', async () => {
    const w = await transactionWorld();
    const [pair] = await linked(w);
    w.clock.advance();
    w.ct.edit(pair!.ct, { amount: 6000 });
    const { second } = await twice(txJob({ exportProperties: { conflictProtection: true } }), w);
    expect(w.og.get(pair!.og).properties['amountCents']).toBe(6000);
    expect(second.plan?.operations).toEqual([]);
  });

  it('never writes to an immutable ChurchTools transaction and says so', async () => {
    const w = await transactionWorld();
    const ct = w.ct.add({ properties: ctBooking({ doc: 'L' }), locked: true });
    const og = w.og.add({ properties: ogBooking({ doc: 'L' }) });
    await run(txJob(LINK), w.context);
    w.clock.advance();
    w.og.edit(og.id, { text: 'geändert' });
    const outcome = await run(txJob({ importProperties: { conflictProtection: true } }), w.context);
    expect(w.ct.get(ct.id).properties['note']).toBe('Spende');
    expect(outcome.entries.find((entry) => entry.message.key === 'log.update.locked')).toBeDefined();
  });
});

describe('transaction actions "delete transactions" in either system', () => {
  // "…whether the conditions for the home system apply … and whether the linked transaction no longer exists in the connected system."
  it('deletes the ChurchTools transaction whose Optigem booking no longer exists', async () => {
    const w = await transactionWorld();
    const [pair] = await linked(w);
    await w.og.remove('transaction', pair!.og);
    await run(txJob({ deleteInChurchTools: {} }), w.context, { confirmMassChange: true });
    expect(w.ct.records.has(pair!.ct)).toBe(false);
    expect(await pairs(w)).toEqual([]);
  });

  it('leaves a ChurchTools transaction outside the ChurchTools conditions; the Optigem conditions do not matter', async () => {
    const w = await transactionWorld();
    const [pair] = await linked(w);
    await w.og.remove('transaction', pair!.og);
    const outside = await simulate(txJob({ deleteInChurchTools: {} }, { ct: [{ field: 'costCenter', values: ['99'] }] }), w.context);
    expect(outside.execution.counters.churchtools.delete).toBe(0);
    const otherConditions = await simulate(txJob({ deleteInChurchTools: {} }, { og: [{ field: 'project', values: ['99'] }] }), w.context);
    expect(otherConditions.execution.counters.churchtools.delete).toBe(1);
  });

  it('deletes the Optigem booking whose ChurchTools transaction no longer exists', async () => {
    const w = await transactionWorld();
    const [pair] = await linked(w);
    await w.ct.remove('transaction', pair!.ct);
    await run(txJob({ deleteInOptigem: {} }), w.context, { confirmMassChange: true });
    expect(w.og.records.has(pair!.og)).toBe(false);
  });

  it('books a storno for an immutable ChurchTools transaction instead of deleting it, and leaves both alone afterwards', async () => {
    const w = await transactionWorld();
    const ct = w.ct.add({ properties: ctBooking({ doc: 'L' }), locked: true });
    const og = w.og.add({ properties: ogBooking({ doc: 'L' }) });
    await run(txJob(LINK), w.context);
    await w.og.remove('transaction', og.id);
    const job = txJob({ deleteInChurchTools: {}, export: { defaults: {} }, link: { mode: 'newerWins' } });
    const simulated = await simulate(job, w.context);
    expect(simulated.entries.find((entry) => entry.action === 'deleteInChurchTools')).toMatchObject({ type: 'storno', message: { key: 'log.remove.willStorno' } });
    expect(simulated.execution.counters.churchtools).toMatchObject({ delete: 0, storno: 1 });
    expect(w.ct.writes.filter((write) => write.kind === 'reverse')).toEqual([]);
    const outcome = await run(job, w.context, { confirmMassChange: true });
    expect(outcome.entries.find((entry) => entry.action === 'deleteInChurchTools')?.message.key).toBe('log.remove.reversedImmutable');
    expect(w.ct.records.has(ct.id)).toBe(true);
    expect(w.ct.reversals.size).toBe(1);
    const again = await simulate(job, w.context);
    expect(again.plan?.operations).toEqual([]);
    expect(w.og.records.size).toBe(0);
  });

  it('never deletes after an incomplete read of the other system', async () => {
    const w = await transactionWorld();
    const ids = await linked(w, 4);
    await w.og.remove('transaction', ids[0]!.og);
    w.og.incompleteReads = true;
    const outcome = await simulate(txJob({ deleteInChurchTools: {} }), w.context);
    expect(outcome.execution.counters.churchtools.delete).toBe(0);
    expect(outcome.entries.find((entry) => entry.message.key === 'log.skip.incompleteRead')).toBeDefined();
  });

  it('asks for confirmation before deleting more than the mass-change share of pairs', async () => {
    const w = await transactionWorld();
    const ids = await linked(w, 3);
    for (const pair of ids) await w.og.remove('transaction', pair.og);
    const refused = await run(txJob({ deleteInChurchTools: {} }), w.context);
    expect(refused.execution.status).toBe('refused');
    expect(refused.execution.refusal?.key).toBe('refusal.massChange');
    expect(w.ct.records.size).toBe(3);
  });
});

describe('transaction conditions', () => {
  it('a date range selects bookings by document date (ChurchTools) inclusively', async () => {
    const w = await transactionWorld();
    for (const [doc, date] of [['J', '2026-01-15'], ['M', '2026-03-31'], ['A', '2026-04-01']] as const) w.ct.add({ properties: ctBooking({ doc, date }) });
    await run(txJob({ export: { defaults: {} } }, { ct: [{ field: 'documentDate', values: [], range: { from: '2026-01-01', to: '2026-03-31' } }] }), w.context);
    expect([...w.og.records.values()].map((r) => r.properties['documentNumber']).sort()).toEqual(['J', 'M']);
  });

  it('an account condition is met by either side of the booking', async () => {
    const w = await transactionWorld();
    w.og.add({ properties: ogBooking({ doc: 'S', soll: '1200', haben: '8000' }) });
    w.og.add({ properties: ogBooking({ doc: 'H', soll: '4200', haben: '1200' }) });
    w.og.add({ properties: ogBooking({ doc: 'X', soll: '4200', haben: '8000' }) });
    await run(txJob({ import: { defaults: {} } }, { og: [{ field: 'accounts', values: ['1200'] }] }), w.context);
    expect([...w.ct.records.values()].map((r) => r.properties['documentNumber']).sort()).toEqual(['H', 'S']);
  });
});
