/**
 * Option lists for conditions and property-pair value mappings (status ↔ category, sex ↔
 * Geschlecht, …): what a ChurchTools field may hold, as `{id, name}` with string ids.
 * Results are cached per service; `clear()` forgets them.
 */
import { z } from 'zod';
import { PortError } from '../sync/ports.ts';
import type { CtHttp } from './http/ct-http.ts';
import { toPortError } from './http/errors.ts';
import { readAllPages } from './http/paging.ts';
import { relationshipTypeSchema, type RelationshipType, type RelationshipTypeSource } from './transactions/spouses.ts';

export interface OptionItem {
  readonly id: string;
  readonly name: string;
}

const idLike = z.union([z.number(), z.string()]);

const namedSchema = z.looseObject({
  id: idLike,
  name: z.string().nullish(),
  nameTranslated: z.string().nullish(),
  bezeichnung: z.string().nullish(),
  sortKey: z.number().nullish(),
});
type Named = z.infer<typeof namedSchema>;

const personMasterDataSchema = z.looseObject({
  statuses: z.array(namedSchema).optional(),
  sexes: z.array(namedSchema).optional(),
  campuses: z.array(namedSchema).optional(),
  departments: z.array(namedSchema).optional(),
  relationshipTypes: z.array(relationshipTypeSchema).nullish(),
});
type PersonMasterData = z.infer<typeof personMasterDataSchema>;

/** The published `DbField`: `key`, `column` (deprecated), `shorty`, `name`; options with `include[]=options`. */
const dbFieldSchema = z.looseObject({
  id: idLike.optional(),
  key: z.string().nullish(),
  column: z.string().nullish(),
  name: z.string().nullish(),
  shorty: z.string().nullish(),
  options: z.array(namedSchema).nullish(),
});
export type DbFieldLike = z.infer<typeof dbFieldSchema>;

const FAMILY_STATUS_KEY = /^familyStatus(Id)?$/i;
const FAMILY_STATUS_COLUMN = /^familienstand(_no)?$/i;
const FAMILY_STATUS_LABEL = /^(family ?status|familienstand)$/i;

/**
 * The family-status select field among the person DB fields. [I] Its `key` is the person field
 * name (`familyStatusId`) and its deprecated `column` the legacy column (`familienstand_no`,
 * table cdb_gemeindeperson); a field found only by its label comes last, as labels are editable.
 */
export function findFamilyStatusField<F extends DbFieldLike>(fields: readonly F[]): F | undefined {
  const matches = (value: string | null | undefined, pattern: RegExp) => typeof value === 'string' && pattern.test(value.trim());
  return (
    fields.find((f) => matches(f.key, FAMILY_STATUS_KEY)) ??
    fields.find((f) => matches(f.column, FAMILY_STATUS_COLUMN)) ??
    fields.find((f) => matches(f.shorty, FAMILY_STATUS_LABEL) || matches(f.name, FAMILY_STATUS_LABEL))
  );
}

const groupMemberSchema = z.looseObject({
  personId: idLike.optional(),
  person: z.looseObject({ domainIdentifier: idLike.optional() }).nullish(),
});

function toOptions(items: readonly Named[] | undefined): OptionItem[] {
  return [...(items ?? [])]
    .sort((a, b) => (a.sortKey ?? 0) - (b.sortKey ?? 0))
    .map((item) => ({
      id: String(item.id),
      name: item.nameTranslated || item.name || item.bezeichnung || String(item.id),
    }));
}

export class MasterDataService implements RelationshipTypeSource {
  private readonly http: CtHttp;
  private readonly cache = new Map<string, Promise<unknown>>();

  constructor(http: CtHttp) {
    this.http = http;
  }

  clear(): void {
    this.cache.clear();
  }

  statuses(): Promise<OptionItem[]> {
    return this.cached('statuses', async () => {
      const md = await this.personMasterData();
      if (md.statuses) return toOptions(md.statuses);
      return toOptions(await this.get('/statuses', z.array(namedSchema), 'read statuses'));
    });
  }

  sexes(): Promise<OptionItem[]> {
    return this.cached('sexes', async () => toOptions((await this.personMasterData()).sexes));
  }

  campuses(): Promise<OptionItem[]> {
    return this.cached('campuses', async () => toOptions((await this.personMasterData()).campuses));
  }

  departments(): Promise<OptionItem[]> {
    return this.cached('departments', async () => toOptions((await this.personMasterData()).departments));
  }

  /**
   * The relationship types (spouses among them), from the same `/person/masterdata` read as
   * statuses and departments: one read serves a run's couples, its spouse links and its new
   * persons. `fresh` reads it again (a run's reference read does, so each run sees today's types).
   */
  async relationshipTypes(options: { readonly fresh?: boolean } = {}): Promise<RelationshipType[]> {
    if (options.fresh) this.cache.delete('personMasterData');
    return (await this.personMasterData()).relationshipTypes ?? [];
  }

  /**
   * [I] `/person/masterdata` has no family statuses (reference ct-api §1.9). We look for the
   * family-status select field in `GET /dbfields?include[]=options`, then fall back to the
   * legacy master data (`churchdb/ajax getMasterData`, table `cdb_familienstand`). Verify on a
   * live instance which one answers.
   */
  familyStatuses(): Promise<OptionItem[]> {
    return this.cached('familyStatuses', async () => {
      let firstError: unknown = null;
      try {
        const fields = await this.http.get('/dbfields', z.array(dbFieldSchema), { include: ['options'] });
        const field = findFamilyStatusField(fields);
        if (field?.options && field.options.length > 0) return toOptions(field.options);
      } catch (error) {
        firstError = error;
      }
      try {
        const legacy = z
          .looseObject({ familyStatus: z.record(z.string(), namedSchema).optional() })
          .parse(await this.http.oldApi('churchdb/ajax', 'getMasterData'));
        if (legacy.familyStatus) return toOptions(Object.values(legacy.familyStatus));
      } catch (error) {
        firstError ??= error;
      }
      throw firstError
        ? toPortError(firstError, { operation: 'read family statuses' })
        : new PortError('ct.familyStatusesUnavailable', 'ChurchTools: no family-status options found');
    });
  }

  /** Person tags, for conditions on `tags`. */
  personTags(): Promise<OptionItem[]> {
    return this.cached('personTags', async () => toOptions(await this.get('/tags/person', z.array(namedSchema), 'read person tags')));
  }

  /** All groups the user can see, for "member of group" conditions (property `groupIds`). */
  groups(): Promise<OptionItem[]> {
    return this.cached('groups', async () => {
      const read = await readAllPages(this.http, '/groups', namedSchema, {}, { limit: 100, label: '/groups' });
      if (!read.complete) {
        throw new PortError('ct.readIncomplete', `ChurchTools: groups could not be read completely: ${read.problems.map((p) => p.message).join('; ')}`);
      }
      return toOptions(read.items);
    });
  }

  /** Person ids of a group's members. [I] Member shape `{personId, person: DomainObjectPerson}`. */
  async groupMemberIds(groupId: string): Promise<string[]> {
    const read = await readAllPages(this.http, `/groups/${encodeURIComponent(groupId)}/members`, groupMemberSchema, {}, {
      limit: 100,
      label: `members of group ${groupId}`,
    });
    if (!read.complete) {
      throw new PortError('ct.readIncomplete', `ChurchTools: members of group ${groupId} could not be read completely`, {
        args: { groupId },
        retryable: true,
      });
    }
    return read.items
      .map((m) => m.personId ?? m.person?.domainIdentifier)
      .filter((id): id is string | number => id !== undefined)
      .map(String);
  }

  private personMasterData(): Promise<PersonMasterData> {
    return this.cached('personMasterData', () => this.get('/person/masterdata', personMasterDataSchema, 'read person master data'));
  }

  private async get<S extends z.ZodType>(path: string, schema: S, operation: string): Promise<z.output<S>> {
    try {
      return await this.http.get(path, schema);
    } catch (error) {
      throw toPortError(error, { operation });
    }
  }

  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.cache.get(key);
    if (hit) return hit as Promise<T>; // only this method stores under `key`, always a Promise<T>
    const promise = load();
    this.cache.set(key, promise);
    promise.catch(() => this.cache.delete(key));
    return promise;
  }
}
