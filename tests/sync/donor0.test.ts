/**
 * Issue #13 §5: an Optigem booking on "Spender 0" (Donor 0) is anonymous money. The pre-flight
 * promises such bookings are "listed, never blocking"; no action ever writes a donor into one.
 * Engine and twins only, so the tests hold whichever booking side the donor sits on.
 */
import { describe, expect, it } from 'vitest';
import { run, simulate } from '../../src/sync/engine.ts';
import type { LogEntry } from '../../src/sync/model.ts';
import type { World } from './fixtures.ts';
import { ctBooking, ogBooking, transactionWorld, txJob } from './transaction-fixtures.ts';

const LINK = txJob({ link: { mode: 'newerWins' } });
const UPDATE = txJob({ updateProperties: { conflictProtection: true } });

const donor0Listing = (entry: LogEntry) => entry.message.key === 'log.donor0.notWritten';

async function linkedDonor0(w: World, ctDonor: string | null) {
  const ct = w.ct.add({ properties: ctBooking({ donor: ctDonor }) });
  const og = w.og.add({ properties: ogBooking({ donor: null, donor0: true }) });
  const linked = await run(LINK, w.context);
  expect(await w.pairs.load('conn-1', 'transaction')).toMatchObject([{ ct: ct.id, og: og.id, status: 'synced' }]);
  w.clock.advance();
  return { ct: ct.id, og: og.id, linked };
}

describe('Donor 0 bookings never get a donor', () => {
  it('link & unify does not fill the empty donor of a Donor 0 booking, and lists the booking', async () => {
    const w = await transactionWorld();
    const ids = await linkedDonor0(w, '100');
    expect(w.og.get(ids.og).properties['donor']).toBeNull();
    expect(w.og.writes.filter((write) => write.kind === 'update')).toEqual([]);
    expect(ids.linked.entries.filter(donor0Listing)).toEqual([
      expect.objectContaining({ action: 'link', ctId: ids.ct, ogId: ids.og, level: 'warning', message: { key: 'log.donor0.notWritten', args: { field: 'donor' } } }),
    ]);
    expect(ids.linked.execution.conflictCount).toBe(0);
  });

  it('update properties does not carry a donor set in ChurchTools into the Donor 0 booking', async () => {
    const w = await transactionWorld();
    const ids = await linkedDonor0(w, null);
    w.ct.edit(ids.ct, { donor: '100' });
    const simulated = await simulate(UPDATE, w.context);
    expect(simulated.plan?.operations.filter((op) => op.op === 'update')).toEqual([]);
    expect(simulated.entries.filter(donor0Listing)).toHaveLength(1);
    await run(UPDATE, w.context);
    expect(w.og.get(ids.og).properties['donor']).toBeNull();
    expect(w.ct.get(ids.ct).properties['donor']).toBe('100');
  });

  it('in the other direction leaves the ChurchTools donor alone while another field flows', async () => {
    const w = await transactionWorld();
    const ids = await linkedDonor0(w, '100');
    w.og.edit(ids.og, { text: 'Spende Sammelbüchse' });
    const outcome = await run(UPDATE, w.context);
    expect(w.ct.get(ids.ct).properties['note']).toBe('Spende Sammelbüchse');
    expect(w.ct.get(ids.ct).properties['donor']).toBe('100');
    expect(w.og.get(ids.og).properties['donor']).toBeNull();
    expect(outcome.execution.conflictCount).toBe(0);
    expect(outcome.entries.filter(donor0Listing)).toHaveLength(1);
  });
});
