import { describe, expect, it } from 'vitest';
import { run, simulate } from '../../src/sync/engine.ts';
import { MEMBERS_ONLY, STATUS, type World, ctPerson, job, ogPerson, world } from './fixtures.ts';

async function linkedPairs(w: World, count: number, ctStatus: string = STATUS.member) {
  const ids: { ct: string; og: string }[] = [];
  for (let i = 0; i < count; i++) {
    const ct = w.ct.add({ properties: ctPerson(`Person${i}`, 'Beispiel', { statusId: ctStatus }) });
    const og = w.og.add({ properties: ogPerson(`Person${i}`, 'Beispiel', { Kategorien: ['150'] }) });
    ids.push({ ct: ct.id, og: og.id });
  }
  await run(job({ link: { mode: 'newerWins' } }), w.context);
  return ids;
}

const confirm = { confirmMassChange: true };

describe('actions 7 and 8: archive or delete persons in ChurchTools', () => {
  // "…checks whether the conditions for the individual in its own system are met and whether the linked individual
  //  no longer exists in the connected system." "If that is the case, the person is archived or deleted in our system."
  it('archives the ChurchTools person whose Optigem partner no longer exists', async () => {
    const w = world();
    const [pair] = await linkedPairs(w, 1);
    await w.og.remove('person', pair!.og);
    const outcome = await run(job({ archiveInChurchTools: {} }), w.context, confirm);
    expect(outcome.execution.counters.churchtools.archive).toBe(1);
    expect(w.ct.get(pair!.ct).archived).toBe(true);
    expect((await w.pairs.load('conn-1', 'person'))[0]?.status).toBe('deleted');
  });

  it('deletes the ChurchTools person whose Optigem partner no longer exists, and forgets the pair', async () => {
    const w = world();
    const [pair] = await linkedPairs(w, 1);
    await w.og.remove('person', pair!.og);
    await run(job({ deleteInChurchTools: {} }), w.context, confirm);
    expect(w.ct.records.has(pair!.ct)).toBe(false);
    expect(await w.pairs.load('conn-1', 'person')).toEqual([]);
  });

  it('leaves a ChurchTools person outside the ChurchTools conditions and marks the pair as deleted', async () => {
    const w = world();
    const [pair] = await linkedPairs(w, 1, STATUS.guest);
    await w.og.remove('person', pair!.og);
    const outcome = await run(job({ archiveInChurchTools: {} }, MEMBERS_ONLY), w.context, confirm);
    expect(w.ct.get(pair!.ct).archived).toBeUndefined();
    expect(outcome.entries.find((e) => e.message.key === 'log.pair.partnerGone')).toBeDefined();
  });

  // "The conditions for the connected system do not play a role."
  it('ignores the Optigem conditions', async () => {
    const w = world();
    const [pair] = await linkedPairs(w, 1);
    await w.og.remove('person', pair!.og);
    const outcome = await simulate(job({ archiveInChurchTools: {} }, { og: [{ field: 'Kategorien', values: ['999'] }] }), w.context);
    expect(outcome.execution.counters.churchtools.archive).toBe(1);
  });

  it('does nothing while both partners still exist', async () => {
    const w = world();
    await linkedPairs(w, 3);
    const outcome = await simulate(job({ archiveInChurchTools: {}, archiveInOptigem: {} }), w.context);
    expect(outcome.plan?.operations).toEqual([]);
  });

  it('never treats a partner missing from an incomplete Optigem read as gone', async () => {
    const w = world();
    await linkedPairs(w, 4);
    w.og.incompleteReads = true;
    const outcome = await run(job({ deleteInChurchTools: {} }), w.context, confirm);
    expect(outcome.plan?.operations).toEqual([]);
    expect(w.ct.records.size).toBe(4);
    expect(outcome.entries.some((e) => e.message.key === 'log.skip.incompleteRead')).toBe(true);
  });

  it('does not archive an already archived person again', async () => {
    const w = world();
    const [pair] = await linkedPairs(w, 1);
    await w.og.remove('person', pair!.og);
    await run(job({ archiveInChurchTools: {} }), w.context, confirm);
    const second = await simulate(job({ archiveInChurchTools: {} }), w.context);
    expect(second.plan?.operations).toEqual([]);
  });
});

describe('actions 9 and 10: archive or delete persons in Optigem', () => {
  // Spec (read as the mirror of 7/8, see DESIGN.md §3): "checks whether the conditions for the other system apply to the
  // individual from the linked system, and whether the linked individual no longer exists" — "The conditions of your own
  // system do not play a role." "If that is the case, the person is archived or deleted in the linked system."
  it('archives the Optigem person whose ChurchTools partner no longer exists', async () => {
    const w = world();
    const [pair] = await linkedPairs(w, 1);
    await w.ct.remove('person', pair!.ct);
    await run(job({ archiveInOptigem: {} }), w.context, confirm);
    expect(w.og.get(pair!.og).archived).toBe(true);
  });

  it('deletes the Optigem person whose ChurchTools partner no longer exists', async () => {
    const w = world();
    const [pair] = await linkedPairs(w, 1);
    await w.ct.remove('person', pair!.ct);
    await run(job({ deleteInOptigem: {} }), w.context, confirm);
    expect(w.og.records.has(pair!.og)).toBe(false);
  });

  it('uses the Optigem conditions and ignores the ChurchTools conditions', async () => {
    const w = world();
    const [pair] = await linkedPairs(w, 1);
    await w.ct.remove('person', pair!.ct);
    const outside = await simulate(job({ deleteInOptigem: {} }, { og: [{ field: 'Kategorien', values: ['999'] }] }), w.context);
    expect(outside.plan?.operations.filter((op) => op.op === 'delete')).toEqual([]);
    const inside = await simulate(job({ deleteInOptigem: {} }, { ct: [{ field: 'statusId', values: ['nobody'] }], og: MEMBERS_ONLY.og }), w.context);
    expect(inside.execution.counters.optigem.delete).toBe(1);
  });

  it('never treats a partner missing from an incomplete ChurchTools read as gone', async () => {
    const w = world();
    await linkedPairs(w, 2);
    w.ct.incompleteReads = true;
    const outcome = await simulate(job({ deleteInOptigem: {} }), w.context);
    expect(outcome.plan?.operations).toEqual([]);
  });
});

describe('mass archive/delete brake', () => {
  it('stops a run that would archive more than 10 % of the pairs before it changes anything', async () => {
    const w = world();
    const pairs = await linkedPairs(w, 20);
    for (const pair of pairs.slice(0, 3)) await w.og.remove('person', pair.og);
    const outcome = await run(job({ archiveInChurchTools: {} }), w.context);
    expect(outcome.execution.status).toBe('refused');
    expect(outcome.execution.refusal).toEqual({ key: 'refusal.massChange', args: { count: 3, pairs: 20, percent: 10 } });
    expect(w.ct.writes.filter((write) => write.kind === 'archive')).toEqual([]);
  });

  it('lets the run through with an explicit confirmation', async () => {
    const w = world();
    const pairs = await linkedPairs(w, 20);
    for (const pair of pairs.slice(0, 3)) await w.og.remove('person', pair.og);
    const outcome = await run(job({ archiveInChurchTools: {} }), w.context, confirm);
    expect(outcome.execution.counters.churchtools.archive).toBe(3);
  });

  it('lets a run at or under the threshold through without confirmation', async () => {
    const w = world();
    const pairs = await linkedPairs(w, 20);
    for (const pair of pairs.slice(0, 2)) await w.og.remove('person', pair.og);
    const outcome = await run(job({ archiveInChurchTools: {} }), w.context);
    expect(outcome.execution.status).toBe('succeeded');
  });

  it('shows the need for confirmation already in the simulation', async () => {
    const w = world();
    const pairs = await linkedPairs(w, 10);
    for (const pair of pairs.slice(0, 5)) await w.og.remove('person', pair.og);
    const outcome = await simulate(job({ deleteInChurchTools: {} }), w.context);
    expect(outcome.plan?.massChange).toMatchObject({ count: 5, pairs: 10, requiresConfirmation: true });
  });

  it('uses a configured threshold', async () => {
    const w = world(undefined, { massChangeThreshold: 0.5 });
    const pairs = await linkedPairs(w, 10);
    for (const pair of pairs.slice(0, 5)) await w.og.remove('person', pair.og);
    const outcome = await simulate(job({ deleteInChurchTools: {} }), w.context);
    expect(outcome.plan?.massChange.requiresConfirmation).toBe(false);
  });
});
