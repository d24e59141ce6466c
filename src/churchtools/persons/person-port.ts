/**
 * ChurchTools as the engine's *own system* for persons. Reads every person (active and
 * archived) page by page, writes through POST/PATCH, archives and deletes, and remembers the
 * Optigem partner in the person's native `optigemId` field. Bookings (domain `transaction`) are
 * handed to ChurchToolsTransactionPort, so the engine sees one ChurchTools port for both domains.
 */
import { z } from 'zod';
import type { Domain, FieldValues, IdentityFields, SyncRecord } from '../../sync/model.ts';
import {
  POSSIBLE_DUPLICATE,
  PortError,
  type CreateContext,
  type ReadOptions,
  type ReadProblem,
  type ReadResult,
  type ReferenceData,
  type RemoveCheck,
  type RebookOutcome,
  type RemoveOutcome,
  type SystemPort,
  type UpdateContext,
} from '../../sync/ports.ts';
import type { CtHttp } from '../http/ct-http.ts';
import { CtHttpError, toPortError } from '../http/errors.ts';
import { readAllPages } from '../http/paging.ts';
import { MasterDataService } from '../masterdata.ts';
import { readSpouses, spouseTypeOf } from '../transactions/spouses.ts';
import { ChurchToolsTransactionPort } from '../transactions/transaction-port.ts';
import { PERSON_LIST_FIELDS, ctPersonSchema, personLabel, personToRecord, recordValuesToBody, valuesLabel, type CtPerson } from './person-fields.ts';

export interface ChurchToolsPersonPortOptions {
  /**
   * The master data (departments of new persons, relationship types), shared with the rest of the
   * session so that a run reads `/person/masterdata` once; default: one of the port's own.
   */
  readonly masterData?: MasterDataService;
  /** Department for new persons when the values carry none (ChurchTools requires one). */
  readonly defaultDepartmentId?: string;
  /** Page size asked for first. Default 500 (ctldap's value for /persons). */
  readonly pageSize?: number;
  /** Page size after ChurchTools refused `pageSize`. Default 100. */
  readonly fallbackPageSize?: number;
  /** Pages in flight after the first. Default 3. */
  readonly pageConcurrency?: number;
  /** Adds `tags` (tag ids) to every record; costs server time, so only when conditions use tags. */
  readonly includeTags?: boolean;
  /** Groups whose members are read into the property `groupIds` (for "member of group" conditions). */
  readonly membershipGroupIds?: readonly string[];
  /** Sends `without_privacy_policy_agreement=true` on create; only works if the admin allows it. */
  readonly withoutPrivacyPolicyAgreement?: boolean;
}

const PERSON_IDENTITY: IdentityFields = {
  firstName: 'firstName',
  lastName: 'lastName',
  email: 'email',
  birthday: 'birthday',
  address: ['street', 'zip', 'city'],
};

const DUPLICATE_KEY = 'forbidden.duplicate.person';
/** Persons per `ids[]=…` request; keeps URLs short. */
const ID_BATCH = 100;
const anyBody = z.unknown();

export class ChurchToolsSystemPort implements SystemPort {
  readonly system = 'churchtools' as const;
  readonly identity: IdentityFields = PERSON_IDENTITY;
  readonly listFields: readonly string[] = PERSON_LIST_FIELDS;

  private readonly http: CtHttp;
  private readonly options: ChurchToolsPersonPortOptions;
  private readonly masterData: MasterDataService;
  private pageSize: number;
  /** From the last read: what each person remembers as partner, and its label for messages. */
  private readonly known = new Map<string, { optigemId: string | null; label: string; groupIds?: readonly string[] }>();
  /** Bookings (domain `transaction`) go to their own port, made on first use from the same CtHttp. */
  private transactionPort: ChurchToolsTransactionPort | null = null;

  constructor(http: CtHttp, options: ChurchToolsPersonPortOptions = {}) {
    this.http = http;
    this.options = options;
    this.masterData = options.masterData ?? new MasterDataService(http);
    this.pageSize = options.pageSize ?? 500;
  }

  async readAll(domain: Domain, options?: ReadOptions): Promise<ReadResult> {
    if (domain === 'transaction') return this.transactions().readAll(domain, options);
    this.assertPersons(domain, 'read');
    const problems: ReadProblem[] = [];
    const byId = new Map<string, CtPerson>();
    let complete = true;

    // [I] Whether /persons without is_archived includes archived persons is unverified
    // (ct-api §6.7), so both halves are asked for explicitly.
    for (const archived of [false, true]) {
      const label = archived ? '/persons (archived)' : '/persons';
      const params = { is_archived: archived, ...(this.options.includeTags ? { include: ['tags'] } : {}) };
      const read = await readAllPages(this.http, '/persons', ctPersonSchema, params, {
        limit: this.pageSize,
        fallbackLimit: this.options.fallbackPageSize ?? 100,
        concurrency: this.options.pageConcurrency ?? 3,
        label,
        idOf: (person) => String(person.id),
      });
      this.pageSize = read.limit;
      problems.push(...read.problems);
      complete &&= read.complete;
      for (const person of read.items) {
        const id = String(person.id);
        // Archived and active are two lists; a person in both moved between them mid-read.
        if (byId.has(id)) {
          complete = false;
          problems.push({ what: label, message: `person ${id} was read both as active and as archived; the list changed while it was read` });
        }
        byId.set(id, archived ? { ...person, isArchived: true } : person);
      }
    }

    const groupIds = await this.readMemberships(problems);
    if (groupIds === null) complete = false;

    this.known.clear();
    const records: SyncRecord[] = [];
    for (const person of byId.values()) {
      const id = String(person.id);
      const groups = groupIds?.get(id) ?? (groupIds ? [] : undefined);
      const record = personToRecord(person, groups ? { groupIds: groups } : {});
      records.push(record);
      this.known.set(id, { optigemId: record.partnerHint ?? null, label: personLabel(person), ...(groups ? { groupIds: groups } : {}) });
    }
    return { records, complete, problems };
  }

  async create(domain: Domain, values: FieldValues, context: CreateContext): Promise<SyncRecord> {
    if (domain === 'transaction') return this.transactions().create(domain, values, context);
    this.assertPersons(domain, 'create');
    const label = valuesLabel(values);
    const body = recordValuesToBody(values);
    body.optigemId = context.partnerId;
    const departments = body.departmentIds;
    if (!Array.isArray(departments) || departments.length === 0) {
      body.departmentIds = [await this.defaultDepartmentId()];
    }
    // `force=true` only for a person an admin decided to create although ChurchTools holds a
    // namesake ([I] the PHP client sends force=1; ct-api §1.5). Never as a retry: ChurchTools'
    // duplicate answer is the record's "possible duplicate" outcome, for an admin to decide.
    const query = {
      ...(this.options.withoutPrivacyPolicyAgreement ? { without_privacy_policy_agreement: true } : {}),
      ...(context.force ? { force: true } : {}),
    };
    let person: CtPerson;
    try {
      person = await this.http.post('/persons', body, ctPersonSchema, query);
    } catch (error) {
      if (error instanceof CtHttpError && error.messageKey === DUPLICATE_KEY) {
        throw new PortError(POSSIBLE_DUPLICATE, `ChurchTools refused to create ${label}: ${error.detail}`, { args: { label }, cause: error });
      }
      throw toPortError(error, { operation: 'create person', label });
    }
    return this.remember(person);
  }

  async update(domain: Domain, id: string, values: FieldValues, context: UpdateContext): Promise<SyncRecord> {
    if (domain === 'transaction') return this.transactions().update(domain, id, values, context);
    this.assertPersons(domain, 'update');
    const label = this.known.get(id)?.label ?? valuesLabel(values);
    const body = recordValuesToBody(values);
    // ChurchTools has no conditional PATCH: the engine re-reads the person in a batch right
    // before this write (reread) and skips it if the person changed since the plan.
    try {
      const person =
        Object.keys(body).length === 0
          ? await this.http.get(`/persons/${encodeURIComponent(id)}`, ctPersonSchema)
          : await this.http.patch(`/persons/${encodeURIComponent(id)}`, body, ctPersonSchema);
      return this.remember(person);
    } catch (error) {
      throw toPortError(error, { operation: 'update person', recordId: id, label });
    }
  }

  async archive(domain: Domain, id: string): Promise<void> {
    if (domain === 'transaction') {
      throw new PortError('ct.archiveNotForTransactions', `ChurchTools: bookings cannot be archived (transaction #${id}); delete them instead`, {
        args: { recordId: id },
      });
    }
    this.assertPersons(domain, 'archive');
    try {
      await this.http.post(`/persons/${encodeURIComponent(id)}/archive`, { archived: true }, anyBody);
    } catch (error) {
      throw toPortError(error, { operation: 'archive person', recordId: id, label: this.known.get(id)?.label ?? null });
    }
  }

  /** Bookings only: persons are always updated in place. */
  async rebook(domain: Domain, id: string, values: FieldValues, context: CreateContext): Promise<RebookOutcome> {
    if (domain === 'transaction') return this.transactions().rebook(domain, id, values, context);
    throw new PortError('ct.domainNotSupported', `ChurchTools: rebooking is for bookings, not for ${domain} records`, { args: { domain, operation: 'rebook' } });
  }

  async remove(domain: Domain, id: string): Promise<RemoveOutcome | void> {
    if (domain === 'transaction') return this.transactions().remove(domain, id);
    this.assertPersons(domain, 'delete');
    try {
      await this.http.delete(`/persons/${encodeURIComponent(id)}`);
      this.known.delete(id);
    } catch (error) {
      throw toPortError(error, { operation: 'delete person', recordId: id, label: this.known.get(id)?.label ?? null });
    }
  }

  /** Persons: no dry run exists for DELETE /persons (ct-api §1.5), so a delete is expected to work. */
  async checkRemove(domain: Domain, id: string): Promise<RemoveCheck> {
    if (domain === 'transaction') return this.transactions().checkRemove(domain, id);
    this.assertPersons(domain, 'check deletion');
    return { kind: 'removed' };
  }

  /** Persons: who is married to whom (couple records pair with spouses); bookings name accounts, cost centres and donors. */
  async readReferences(domain: Domain, options?: ReadOptions): Promise<ReferenceData> {
    if (domain === 'transaction') return this.transactions().readReferences(domain, options);
    this.assertPersons(domain, 'read references');
    return { known: {}, problems: [], writable: true, spouses: await readSpouses(this.http, this.masterData) };
  }

  /**
   * ChurchTools' published REST API has no write for relationships; its legacy AJAX API does
   * (`churchdb/ajax`, `add_rel`, ct-api §1.8 [C]), with the spouse type from the person master
   * data — the run's reference read of it, not another request per couple or per run.
   * [I] `id` = the first person, `child_id` = the second, as public code sends it.
   */
  async linkSpouses(a: string, b: string): Promise<void> {
    try {
      const type = spouseTypeOf(await this.masterData.relationshipTypes());
      if (type === null) throw new PortError('ct.noSpouseType', 'ChurchTools has no relationship type for spouses (person master data).', { args: { a, b } });
      // The client rejects any answer whose status is not "success".
      await this.http.oldApi('churchdb/ajax', 'add_rel', { id: Number(a), child_id: Number(b), rel_id: Number(type) });
    } catch (error) {
      if (error instanceof PortError) throw error;
      throw toPortError(error, { operation: 'link spouses', recordId: a, label: `${this.known.get(a)?.label ?? a} + ${this.known.get(b)?.label ?? b}` });
    }
  }

  /** Which of the persons exist, archived or not: `GET /persons?ids[]=…` in batches. */
  async findExisting(domain: Domain, ids: readonly string[]): Promise<ReadonlySet<string>> {
    if (domain === 'transaction') return this.transactions().findExisting(domain, ids);
    this.assertPersons(domain, 'look up');
    const found = await this.readByIds(ids, 'look up persons by id');
    return new Set(found.keys());
  }

  /** The persons as they are now, shaped like readAll's records (same tags and group memberships). */
  async reread(domain: Domain, ids: readonly string[]): Promise<ReadonlyMap<string, SyncRecord>> {
    if (domain === 'transaction') return this.transactions().reread(domain, ids);
    this.assertPersons(domain, 're-read');
    const found = await this.readByIds(ids, 're-read persons before writing');
    const records = new Map<string, SyncRecord>();
    for (const [id, person] of found) records.set(id, this.remember(person));
    return records;
  }

  /**
   * Persons by id, active first, then the archived among those not found (a person in neither
   * does not exist). Throws when a batch cannot be read, so that nobody takes "not read" for
   * "not there".
   */
  private async readByIds(ids: readonly string[], operation: string): Promise<Map<string, CtPerson>> {
    const found = new Map<string, CtPerson>();
    const numeric = ids.filter((id) => /^\d+$/.test(id));
    // [I] /persons without is_archived may leave archived persons out (ct-api §6.7).
    for (const archived of [false, true]) {
      const wanted = numeric.filter((id) => !found.has(id));
      for (let start = 0; start < wanted.length; start += ID_BATCH) {
        const batch = wanted.slice(start, start + ID_BATCH);
        const params = { ids: batch, is_archived: archived, ...(this.options.includeTags ? { include: ['tags'] } : {}) };
        const read = await readAllPages(this.http, '/persons', ctPersonSchema, params, { limit: ID_BATCH, label: `/persons?ids[]=… (${batch.length})` });
        if (!read.complete) {
          const problem = read.problems[0];
          throw new PortError('ct.readFailed', `ChurchTools: ${operation} failed: ${problem ? `${problem.what}: ${problem.message}` : 'incomplete answer'}`, {
            retryable: true,
            args: { operation, cause: problem?.message ?? '' },
          });
        }
        for (const person of read.items) found.set(String(person.id), archived ? { ...person, isArchived: true } : person);
      }
    }
    return found;
  }

  async notePartner(domain: Domain, id: string, partnerId: string): Promise<void> {
    // A ChurchTools booking has no field for the Optigem partner; the pair store keeps the link.
    if (domain === 'transaction') return;
    this.assertPersons(domain, 'link');
    const known = this.known.get(id);
    if (known && known.optigemId === partnerId) return;
    try {
      const person = await this.http.patch(`/persons/${encodeURIComponent(id)}`, { optigemId: partnerId }, ctPersonSchema);
      this.remember(person);
    } catch (error) {
      throw toPortError(error, { operation: 'note Optigem partner of person', recordId: id, label: known?.label ?? null });
    }
  }

  private remember(person: CtPerson): SyncRecord {
    const id = String(person.id);
    const groupIds = this.known.get(id)?.groupIds;
    const record = personToRecord(person, groupIds ? { groupIds } : {});
    this.known.set(id, { optigemId: record.partnerHint ?? null, label: personLabel(person), ...(groupIds ? { groupIds } : {}) });
    return record;
  }

  /** Members of the configured groups, per person; null when a group could not be read. */
  private async readMemberships(problems: ReadProblem[]): Promise<Map<string, string[]> | null | undefined> {
    const groups = this.options.membershipGroupIds;
    if (!groups || groups.length === 0) return undefined;
    const md = this.masterData;
    const byPerson = new Map<string, string[]>();
    let ok = true;
    for (const groupId of groups) {
      try {
        for (const personId of await md.groupMemberIds(groupId)) {
          const list = byPerson.get(personId) ?? [];
          list.push(groupId);
          byPerson.set(personId, list);
        }
      } catch (error) {
        ok = false;
        problems.push({ what: `members of group ${groupId}`, message: error instanceof Error ? error.message : String(error) });
      }
    }
    return ok ? byPerson : null;
  }

  private async defaultDepartmentId(): Promise<number> {
    if (this.options.defaultDepartmentId !== undefined) return Number(this.options.defaultDepartmentId);
    const departments = await this.masterData.departments();
    const first = departments[0];
    if (!first) {
      throw new PortError('ct.noDepartment', 'ChurchTools: a new person needs a department, and none is visible', {});
    }
    return Number(first.id);
  }

  private transactions(): ChurchToolsTransactionPort {
    this.transactionPort ??= new ChurchToolsTransactionPort(this.http, this.masterData);
    return this.transactionPort;
  }

  private assertPersons(domain: Domain, operation: string): void {
    if (domain !== 'person') {
      throw new PortError(
        'ct.domainNotSupported',
        `ChurchTools adapter: ${operation} for "${domain}" is not supported; only persons and transactions are synced`,
        { args: { domain, operation } },
      );
    }
  }
}
