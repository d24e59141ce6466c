/**
 * "The simulation shows what the run will do" (issue 14 §7): for every action of both domains,
 * a run right after its simulation, with nothing changed in between, reports the same counters
 * as the simulation planned — including a booking that cannot be deleted and is reversed
 * (storno) instead, which both count as a storno, not as a delete.
 */
import { describe, expect, it } from 'vitest';
import { run, simulate } from '../../src/sync/engine.ts';
import { PERSON_ACTIONS, TRANSACTION_ACTIONS, type ActionId, type Counters, type JobActions } from '../../src/sync/model.ts';
import { STATUS, ctPerson, job, ogPerson, world, type World } from './fixtures.ts';
import { ctBooking, ogBooking, transactionWorld, txJob } from './transaction-fixtures.ts';

const OPTIONS: { readonly [A in ActionId]: NonNullable<JobActions[A]> } = {
  link: { mode: 'newerWins' },
  import: { defaults: {} },
  export: { defaults: {} },
  updateProperties: { conflictProtection: true },
  importProperties: { conflictProtection: true },
  exportProperties: { conflictProtection: true },
  archiveInChurchTools: {},
  deleteInChurchTools: {},
  archiveInOptigem: {},
  deleteInOptigem: {},
};

function total(counters: Counters): number {
  return Object.values(counters).reduce((sum, kinds) => sum + Object.values(kinds).reduce((a, b) => a + b, 0), 0);
}

/** People for every action: unpaired matches, one-sided people, changed pairs, pairs with a partner gone. */
async function personScenario(): Promise<World> {
  const w = world();
  const pair = (name: string) => {
    const ct = w.ct.add({ properties: ctPerson(name, 'Paar', { statusId: STATUS.member, city: 'Alt' }) });
    const og = w.og.add({ properties: ogPerson(name, 'Paar', { Kategorien: ['150'], Ort: 'Alt' }) });
    return { ct: ct.id, og: og.id };
  };
  const pairs = ['Anna', 'Bernd', 'Clara', 'Dieter', 'Erika', 'Frank', 'Gerda', 'Hans', 'Ida', 'Jan'].map(pair);
  await run(job({ link: OPTIONS.link }), w.context);
  w.clock.advance(3600);
  // Changed on one side since the last sync: ChurchTools for two pairs, Optigem for two.
  w.ct.edit(pairs[0]!.ct, { city: 'Neu CT' });
  w.ct.edit(pairs[1]!.ct, { city: 'Neu CT' });
  w.og.edit(pairs[2]!.og, { Ort: 'Neu OG' });
  w.og.edit(pairs[3]!.og, { Ort: 'Neu OG' });
  // Partners gone: two on each side.
  await w.og.remove('person', pairs[4]!.og);
  await w.og.remove('person', pairs[5]!.og);
  await w.ct.remove('person', pairs[6]!.ct);
  await w.ct.remove('person', pairs[7]!.ct);
  // Not paired yet: two who match, two only in Optigem, two only in ChurchTools.
  for (const name of ['Karl', 'Lena']) {
    w.ct.add({ properties: ctPerson(name, 'Neu', { statusId: STATUS.member }) });
    w.og.add({ properties: ogPerson(name, 'Neu', { Kategorien: ['150'] }) });
  }
  for (const name of ['Mia', 'Nils']) w.og.add({ properties: ogPerson(name, 'NurOptigem', { Kategorien: ['150'] }) });
  for (const name of ['Otto', 'Paula']) w.ct.add({ properties: ctPerson(name, 'NurChurchTools', { statusId: STATUS.member }) });
  w.clock.advance(60);
  return w;
}

/** Bookings for every action, including two ChurchTools bookings to delete of which one is immutable. */
async function bookingScenario(): Promise<World> {
  const w = await transactionWorld();
  const both = (doc: string, locked = false) => {
    w.ct.add({ properties: ctBooking({ doc }), ...(locked ? { locked: true } : {}) });
    return w.og.add({ properties: ogBooking({ doc }) });
  };
  const paired = ['P1', 'P2', 'P3', 'P4', 'P5'].map((doc) => both(doc));
  const lockedPartner = both('P6', true);
  await run(txJob({ link: OPTIONS.link }), w.context);
  w.clock.advance(3600);
  const pairs = await w.pairs.load('conn-1', 'transaction');
  const ctOf = (ogId: string) => pairs.find((p) => p.og === ogId)!.ct;
  w.ct.edit(ctOf(paired[0]!.id), { note: 'Spende CT' });
  w.og.edit(paired[1]!.id, { text: 'Spende OG' });
  // The Optigem partners of two ChurchTools bookings are gone; one of those cannot be deleted.
  await w.og.remove('transaction', paired[2]!.id);
  await w.og.remove('transaction', lockedPartner.id);
  await w.ct.remove('transaction', ctOf(paired[3]!.id));
  w.ct.add({ properties: ctBooking({ doc: 'NEU-CT', cents: 1111 }) });
  w.og.add({ properties: ogBooking({ doc: 'NEU-OG', cents: 2222 }) });
  w.ct.add({ properties: ctBooking({ doc: 'L1', cents: 3333 }) });
  w.og.add({ properties: ogBooking({ doc: 'L1', cents: 3333 }) });
  w.clock.advance(60);
  return w;
}

describe('a run does what its simulation showed', () => {
  for (const action of PERSON_ACTIONS) {
    it(`people, ${action}: the run's counters equal the simulation's`, async () => {
      const w = await personScenario();
      const j = job({ [action]: OPTIONS[action] });
      const simulated = await simulate(j, w.context);
      const ran = await run(j, w.context, { confirmMassChange: true, expectedDigest: simulated.plan!.digest });
      expect(total(simulated.execution.counters)).toBeGreaterThan(0);
      expect(ran.execution.status).toBe('succeeded');
      expect(ran.execution.counters).toEqual(simulated.execution.counters);
    });
  }

  for (const action of TRANSACTION_ACTIONS) {
    it(`bookings, ${action}: the run's counters equal the simulation's`, async () => {
      const w = await bookingScenario();
      const j = txJob({ [action]: OPTIONS[action] });
      const simulated = await simulate(j, w.context);
      const ran = await run(j, w.context, { confirmMassChange: true, expectedDigest: simulated.plan!.digest });
      expect(total(simulated.execution.counters)).toBeGreaterThan(0);
      expect(ran.execution.status).toBe('succeeded');
      expect(ran.execution.counters).toEqual(simulated.execution.counters);
    });
  }

  it('bookings: deleting two ChurchTools bookings of which one is immutable simulates and runs as 1 delete + 1 storno', async () => {
    const w = await bookingScenario();
    const j = txJob({ deleteInChurchTools: {} });
    const simulated = await simulate(j, w.context);
    expect(simulated.execution.counters.churchtools).toMatchObject({ delete: 1, storno: 1 });
    expect(simulated.entries.filter((e) => e.action === 'deleteInChurchTools').map((e) => e.type).sort()).toEqual(['delete', 'storno']);
    const ran = await run(j, w.context, { confirmMassChange: true });
    expect(ran.execution.counters.churchtools).toMatchObject({ delete: 1, storno: 1 });
    expect(w.ct.reversals.size).toBe(1);
  });
});
