import { describe, expect, it } from 'vitest';
import { groupBlockers } from '../../src/sync/blockers.ts';
import { run, simulate } from '../../src/sync/engine.ts';
import { CT_REFERENCES, OG_REFERENCES, ctBooking, ogBooking, transactionWorld, txJob } from './transaction-fixtures.ts';

const IMPORT = { import: { defaults: {} } };

describe('pre-flight of a transaction job', () => {
  it('refuses when no open ChurchTools accounting period covers the fiscal year, and writes nothing', async () => {
    const w = await transactionWorld();
    w.ct.references = { ...CT_REFERENCES, problems: [{ key: 'preflight.ct.noPeriod', args: { fiscalYear: '2026' } }], writable: false };
    w.og.add({ properties: ogBooking() });
    const outcome = await run(txJob(IMPORT), w.context);
    expect(outcome.execution.status).toBe('refused');
    expect(outcome.execution.refusal).toEqual({ key: 'preflight.ct.noPeriod', args: { fiscalYear: '2026' } });
    expect(w.ct.records.size).toBe(0);
  });

  it('names every Optigem account and project without a ChurchTools counterpart, with a count and an example', async () => {
    const w = await transactionWorld();
    w.og.add({ properties: ogBooking({ doc: 'A', haben: '8100' }) });
    w.og.add({ properties: ogBooking({ doc: 'B', haben: '8100' }) });
    w.og.add({ properties: ogBooking({ doc: 'C', project: '30' }) });
    const outcome = await simulate(txJob(IMPORT), w.context);
    expect(outcome.execution.status).toBe('refused');
    const unknown = outcome.plan?.blockers.filter((b) => b.key === 'blocker.preflight.unknownReference').map((b) => b.args);
    expect(unknown).toEqual([
      expect.objectContaining({ system: 'churchtools', field: 'contraAccount', value: '8100', count: 2 }),
      expect.objectContaining({ system: 'churchtools', field: 'costCenter', value: '30', count: 1 }),
    ]);
    await run(txJob(IMPORT), w.context);
    expect(w.ct.records.size).toBe(0);
  });

  it('checks only the bookings the job selects', async () => {
    const w = await transactionWorld();
    w.og.add({ properties: ogBooking({ doc: 'A', haben: '8100', project: '10' }) });
    w.og.add({ properties: ogBooking({ doc: 'B', project: '20' }) });
    const outcome = await run(txJob(IMPORT, { og: [{ field: 'project', values: ['20'] }] }), w.context);
    expect(outcome.execution.status).toBe('succeeded');
    expect(w.ct.records.size).toBe(1);
  });

  it('names each donor not linked through a person pair once, with the count of its bookings', async () => {
    const w = await transactionWorld();
    w.og.add({ properties: ogBooking({ doc: 'A', donor: '99' }), label: 'Beleg A' });
    w.og.add({ properties: ogBooking({ doc: 'B', donor: '99' }), label: 'Beleg B' });
    const outcome = await simulate(txJob(IMPORT), w.context);
    expect(outcome.plan?.blockers).toEqual([{ key: 'blocker.preflight.donorNotLinked', args: { system: 'optigem', donor: '99', booking: 'Beleg A', bookings: 2 } }]);
  });

  it('lists every blocker of every kind in one simulation, grouped with a count per group', async () => {
    const w = await transactionWorld();
    w.ct.references = { ...CT_REFERENCES, problems: [{ key: 'preflight.ct.periodClosed', args: { fiscalYear: '2026', period: '2026' } }], writable: false };
    w.og.add({ properties: ogBooking({ doc: 'A', donor: '98' }), label: 'Beleg A' });
    w.og.add({ properties: ogBooking({ doc: 'B', donor: '99' }), label: 'Beleg B' });
    w.og.add({ properties: ogBooking({ doc: 'C', donor: '99' }), label: 'Beleg C' });
    const period = await simulate(txJob(IMPORT), w.context);
    expect(groupBlockers(period.plan?.blockers ?? []).map((g) => [g.id, g.count, g.fix])).toEqual([
      ['period', 1, 'openFinance'],
      ['donors', 3, 'linkByHand'],
    ]);

    w.ct.references = CT_REFERENCES;
    w.og.add({ properties: ogBooking({ doc: 'D', haben: '8100', project: '30', donor: '97' }), label: 'Beleg D' });
    const outcome = await simulate(txJob(IMPORT), w.context);
    expect(groupBlockers(outcome.plan?.blockers ?? []).map((g) => [g.id, g.count, g.blockers.length])).toEqual([
      ['donors', 4, 3],
      ['accounts', 1, 1],
      ['costCentres', 1, 1],
    ]);
  });

  it('accepts a couple donation whose ChurchTools spouse has no pair of their own', async () => {
    const w = await transactionWorld();
    w.ct.add({ properties: ctBooking({ donor: '102,101' }) });
    const outcome = await simulate(txJob({ export: { defaults: {} } }), w.context);
    expect(outcome.plan?.blockers).toEqual([]);
    expect(outcome.plan?.operations[0]).toMatchObject({ op: 'create', values: { donor: '7' } });
  });

  it('lists the Donor 0 bookings with their count and sum, without blocking', async () => {
    const w = await transactionWorld();
    w.og.add({ properties: ogBooking({ doc: 'A', cents: 1000, donor0: true }) });
    w.og.add({ properties: ogBooking({ doc: 'B', cents: 2550, donor0: true }) });
    const outcome = await simulate(txJob(IMPORT), w.context);
    expect(outcome.entries).toContainEqual(expect.objectContaining({ action: 'preflight', message: { key: 'log.preflight.donor0', args: { count: 2, sumCents: 3550 } } }));
    expect(outcome.execution.status).toBe('succeeded');
  });

  it('refuses to export into a closed Optigem fiscal year but may still import from it', async () => {
    const w = await transactionWorld();
    w.og.references = { ...OG_REFERENCES, writable: false };
    w.ct.add({ properties: ctBooking({ doc: 'X' }) });
    w.og.add({ properties: ogBooking({ doc: 'Y' }) });
    const exported = await simulate(txJob({ export: { defaults: {} } }), w.context);
    expect(exported.plan?.blockers).toContainEqual({ key: 'blocker.preflight.notWritable', args: { system: 'optigem', fiscalYear: '2026' } });
    const imported = await simulate(txJob(IMPORT), w.context);
    expect(imported.plan?.blockers).toEqual([]);
  });

  it('requires a fiscal year', async () => {
    const w = await transactionWorld();
    const outcome = await simulate({ ...txJob(IMPORT), scope: {} }, w.context);
    expect(outcome.plan?.blockers[0]?.key).toBe('validation.fiscalYearMissing');
  });
});
