import { afterEach, describe, expect, it } from 'vitest';
import { findFamilyStatusField } from '../../src/churchtools/masterdata.ts';
import { harness, type Harness } from './helpers.ts';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

describe('family-status field among the published DbFields', () => {
  // Published DbField: key, column (deprecated), shorty, name; no columnName.
  const field = (key: string, column: string, name: string, shorty?: string) => ({ id: key.length, key, column, name, ...(shorty ? { shorty } : {}) });

  it('is found by its key first, then by its deprecated column, then by its label', () => {
    const byKey = field('familyStatusId', 'familienstand_no', 'Familienstand', 'Fam.-Stand');
    expect(findFamilyStatusField([field('sexId', 'geschlecht_no', 'Geschlecht'), byKey])).toBe(byKey);
    const byColumn = field('maritalState', 'familienstand_no', 'Zivilstand');
    expect(findFamilyStatusField([field('firstName', 'vorname', 'Vorname'), byColumn])).toBe(byColumn);
    const byLabel = field('custom12', 'custom_12', 'Familienstand');
    expect(findFamilyStatusField([byLabel, field('statusId', 'status_id', 'Status')])).toBe(byLabel);
    // A label match never wins over the field whose column is the family status.
    expect(findFamilyStatusField([byLabel, byColumn])).toBe(byColumn);
    expect(findFamilyStatusField([field('statusId', 'status_id', 'Status')])).toBeUndefined();
  });
});

describe('MasterDataService', () => {
  it('lists options as {id, name} with string ids', async () => {
    h = await harness();
    const md = h.ct.masterData;
    const state = h.standIn.state;
    const bySortKey = [...state.statuses].sort((a, b) => a.sortKey - b.sortKey);
    expect(await md.statuses()).toEqual(bySortKey.map((s) => ({ id: String(s.id), name: s.name })));
    expect((await md.sexes()).map((s) => s.id)).toEqual(state.sexes.map((s) => String(s.id)));
    expect((await md.campuses()).length).toBe(state.campuses.length);
    expect((await md.departments()).length).toBe(state.departments.length);
    // [I] Family statuses come from /dbfields?include[]=options.
    expect(await md.familyStatuses()).toEqual(state.familyStatuses.map((f) => ({ id: String(f.id), name: f.name })));
    expect((await md.personTags()).map((t) => t.name)).toEqual(state.tags.map((t) => t.name));
    const groups = await md.groups();
    expect(groups.length).toBe(state.groups.size);
    // Cached: one /person/masterdata for statuses, sexes, campuses and departments.
    expect(h.requests().filter((r) => r === 'GET /person/masterdata')).toHaveLength(1);

    const group = groups[0]!;
    const members = state.groupMembers.filter((m) => m.groupId === Number(group.id)).map((m) => String(m.personId));
    expect((await md.groupMemberIds(group.id)).sort()).toEqual(members.sort());
  });

  it('adds group membership to person records for "member of group" conditions', async () => {
    h = await harness();
    const groupId = String([...h.standIn.state.groups.keys()][0]);
    const member = h.standIn.state.groupMembers.find((m) => m.groupId === Number(groupId))!;
    const port = (await h.second({ persons: { membershipGroupIds: [groupId] } })).persons;
    const read = await port.readAll('person');
    expect(read.complete).toBe(true);
    expect(read.records.find((r) => r.id === String(member.personId))!.properties.groupIds).toEqual([groupId]);
    const outsider = read.records.find((r) => !h!.standIn.state.groupMembers.some((m) => m.groupId === Number(groupId) && String(m.personId) === r.id))!;
    expect(outsider.properties.groupIds).toEqual([]);
  });
});

describe('person tags on records', () => {
  it('adds tag ids when asked to', async () => {
    h = await harness();
    const tagged = [...h.standIn.state.persons.values()].find((p) => p.tagIds.length > 0 && !p.isArchived)!;
    const port = (await h.second({ persons: { includeTags: true } })).persons;
    const read = await port.readAll('person');
    expect(read.records.find((r) => r.id === String(tagged.id))!.properties.tags).toEqual(tagged.tagIds.map(String));
    expect(h.standIn.requests.filter((r) => r.path === '/persons').every((r) => r.query.includes('include[]=tags'))).toBe(true);
  });
});

describe('PermissionService', () => {
  it('says what the admin may do and what a viewer lacks, with exact right names', async () => {
    h = await harness();
    const perms = await h.ct.permissions.load();
    expect(perms.user?.id).toBe(h.standIn.admin.personId);
    expect(perms).toMatchObject({ canReadPersons: true, canWritePersons: true, canArchive: true, canReadFinance: true, canWriteFinance: true });
    expect(perms.missingRights).toEqual([]);
    expect(perms.moduleVisible).toBe(true);

    const { viewerPermissions } = await import('../../dev/standin/state.ts');
    h.standIn.state.permissions.set(h.standIn.admin.personId, viewerPermissions());
    const viewer = await h.ct.permissions.load();
    expect(viewer.canReadPersons).toBe(false);
    expect(viewer.missingFor(['readPersons', 'archivePersons', 'writeFinance'])).toEqual([
      expect.objectContaining({ module: 'churchdb', permission: 'view alldata' }),
      expect.objectContaining({ module: 'churchdb', permission: 'push/pull archive' }),
      expect.objectContaining({ module: 'churchdb', permission: 'view archive' }),
      expect.objectContaining({ module: 'finance', permission: 'edit accounting period' }),
    ]);
    expect(viewer.moduleVisible).toBe(false);
  });
});

describe('FinanceClient', () => {
  it('reads periods, maps accounts and cost centres by number, pages transactions, and writes', async () => {
    h = await harness({ maxPageSize: 100 });
    const finance = h.ct.finance;
    const periods = await finance.accountingPeriods();
    expect(periods.length).toBeGreaterThan(0);
    const period = periods.find((p) => !p.isClosed)!;
    const md = await finance.periodMasterData(period.id);
    const anyAccount = [...h.standIn.state.finance.accounts.values()].find((a) => a.accountingPeriodId === period.id)!;
    expect(md.accountsByNumber.get(anyAccount.number)?.id).toBe(anyAccount.id);

    const expected = [...h.standIn.state.finance.transactions.values()].filter((t) => t.accountingPeriodId === period.id).length;
    const read = await finance.transactions(period.id);
    expect(read.complete).toBe(true);
    expect(read.transactions).toHaveLength(expected);

    const template = read.transactions[0]!;
    const created = await finance.createTransaction({
      documentDate: period.startDate.slice(0, 10),
      documentNumber: 'OG-1',
      accountId: template.accountId,
      contraAccountId: template.contraAccountId,
      amount: 1234,
      note: 'Spende aus Optigem',
      isSynced: true,
    });
    const id = created[0]!.id;
    expect(h.standIn.state.finance.transactions.get(id)).toMatchObject({ amount: 1234, isSynced: true });
    await finance.updateTransaction(id, {
      documentDate: period.startDate.slice(0, 10),
      documentNumber: 'OG-1',
      accountId: template.accountId,
      contraAccountId: template.contraAccountId,
      amount: 2000,
      note: 'geändert',
      costCenterId: null,
    });
    expect(h.standIn.state.finance.transactions.get(id)?.amount).toBe(2000);
    await finance.deleteTransaction(id, { dryRun: true });
    expect(h.standIn.state.finance.transactions.has(id)).toBe(true);
    const storno = await finance.stornoTransaction(id, 'Storno');
    expect(storno[0]!.accountId).toBe(template.contraAccountId);
    await finance.deleteTransaction(id);
    expect(h.standIn.state.finance.transactions.has(id)).toBe(false);
    await expect(finance.deleteTransaction(id, { label: 'OG-1' })).rejects.toMatchObject({ code: 'not.found', args: { recordId: String(id), label: 'OG-1' } });
  });
});
