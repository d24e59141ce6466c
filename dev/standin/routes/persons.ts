/**
 * People, relationships, tags, groups and person master data (reference ct-api.md §1).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import {
  ApiError,
  baseUrl,
  can,
  currentUser,
  envelope,
  fieldError,
  notFound,
  paginate,
  parseBody,
  pathId,
  queryArray,
  queryBool,
  queryIntArray,
  queryString,
  readPaging,
  requireDate,
  requirePermission,
  validationError,
  type AppEnv,
  type FieldError,
} from '../http.ts';
import { blankPerson, newMeta, touch, type PersonRecord, type StandInState } from '../state.ts';
import { domainObjectGroup, domainObjectPerson, personView, tagView } from '../views.ts';

/** One collator for all sorting: localeCompare with a locale builds a new one per call. */
const collator = new Intl.Collator('de');

export interface PersonsRouteOptions {
  state: StandInState;
  maxPageSize: number;
}

const dateOrNull = z.preprocess(
  // PHP treats an empty string like null for nullable dates.
  (v) => (v === '' ? null : v),
  z.union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Expected a date YYYY-MM-DD'), z.null()]),
);
const dateTimeOrNull = z.preprocess((v) => (v === '' ? null : v), z.union([z.string().regex(/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?Z?)?$/), z.null()]));
const emailSchema = z.union([z.literal(''), z.email()]);

/** PersonUpdateable (ct-types): every field optional; POST adds the required checks itself. */
const personBody = z.object({
  firstName: z.string().max(100).optional(),
  lastName: z.string().max(100).optional(),
  birthName: z.string().optional(),
  nickname: z.string().optional(),
  title: z.string().optional(),
  job: z.string().optional(),
  birthday: dateOrNull.optional(),
  birthplace: z.string().optional(),
  sexId: z.union([z.int(), z.null()]).optional(),
  statusId: z.int().optional(),
  familyStatusId: z.union([z.int(), z.null()]).optional(),
  campusId: z.int().optional(),
  departmentIds: z.array(z.int()).optional(),
  email: emailSchema.optional(),
  emails: z.array(z.object({ email: z.email(), contactLabelId: z.int().optional(), isDefault: z.boolean().optional() })).optional(),
  street: z.string().optional(),
  zip: z.string().optional(),
  city: z.string().optional(),
  country: z.string().optional(),
  addressAddition: z.string().optional(),
  phonePrivate: z.string().optional(),
  phoneWork: z.string().optional(),
  mobile: z.string().optional(),
  fax: z.string().optional(),
  dateOfBaptism: dateOrNull.optional(),
  baptisedBy: z.string().optional(),
  placeOfBaptism: z.string().optional(),
  dateOfBelonging: dateOrNull.optional(),
  dateOfEntry: dateTimeOrNull.optional(),
  dateOfResign: dateTimeOrNull.optional(),
  dateOfDeath: dateOrNull.optional(),
  firstContact: dateTimeOrNull.optional(),
  weddingDate: dateOrNull.optional(),
  // statusId, campusId, growPathId: non-nullable numbers in the published PersonUpdateable.
  growPathId: z.int().optional(),
  nationalityId: z.union([z.int(), z.null()]).optional(),
  referredBy: z.string().optional(),
  referredTo: z.string().optional(),
  cmsUserId: z.string().optional(),
  optigemId: z.string().optional(),
  // Accepted and ignored: the stand-in does not model privacy-policy settings.
  privacyPolicyAgreement: z.object({ date: z.string().nullable().optional(), typeId: z.int().nullable().optional(), whoId: z.int().nullable().optional() }).optional(),
  age: z.unknown().optional(),
});
type PersonBody = z.output<typeof personBody>;

const archiveBody = z.object({ archived: z.boolean() });

function optionError(fieldId: string, valid: number[]): FieldError {
  return fieldError(fieldId, 'validation.db.field.option', `Invalid option for ${fieldId}`, { validOptions: valid });
}

/** Checks ids against master data, as ChurchTools validates select fields. */
function checkReferences(state: StandInState, body: PersonBody): FieldError[] {
  const errors: FieldError[] = [];
  const ids = (list: { id: number }[]) => list.map((x) => x.id);
  if (body.statusId !== undefined && !ids(state.statuses).includes(body.statusId)) errors.push(optionError('statusId', ids(state.statuses)));
  if (body.sexId !== undefined && body.sexId !== null && !ids(state.sexes).includes(body.sexId)) errors.push(optionError('sexId', ids(state.sexes)));
  if (body.familyStatusId !== undefined && body.familyStatusId !== null && !ids(state.familyStatuses).includes(body.familyStatusId)) errors.push(optionError('familyStatusId', ids(state.familyStatuses)));
  if (body.campusId !== undefined && !ids(state.campuses).includes(body.campusId)) errors.push(optionError('campusId', ids(state.campuses)));
  if (body.departmentIds !== undefined && body.departmentIds.some((d) => !ids(state.departments).includes(d))) errors.push(optionError('departmentIds', ids(state.departments)));
  if (body.emails) {
    for (const e of body.emails) {
      if (e.contactLabelId !== undefined && !ids(state.contactLabels).includes(e.contactLabelId)) errors.push(optionError('emails.contactLabelId', ids(state.contactLabels)));
    }
  }
  return errors;
}

/** Applies the given fields only; `emails` wins over `email` ("If `emails` is present `email` is ignored"). */
function applyBody(p: PersonRecord, body: PersonBody): void {
  const { emails, email, privacyPolicyAgreement: _ppa, age: _age, ...rest } = body;
  for (const [key, value] of Object.entries(rest)) {
    if (value !== undefined) (p as unknown as Record<string, unknown>)[key] = Array.isArray(value) ? [...value] : value;
  }
  if (emails !== undefined) {
    const defaultIndex = Math.max(0, emails.findIndex((e) => e.isDefault === true));
    p.emails = emails.map((e, i) => ({ email: e.email, contactLabelId: e.contactLabelId ?? 1, isDefault: i === defaultIndex }));
    p.email = p.emails[defaultIndex]?.email ?? '';
  } else if (email !== undefined) {
    p.email = email;
    const others = p.emails.filter((e) => !e.isDefault);
    p.emails = email === '' ? others : [{ email, contactLabelId: 1, isDefault: true }, ...others];
  }
}

function sameName(a: string, b: string): boolean {
  return a.trim().normalize('NFC').toLocaleLowerCase('de') === b.trim().normalize('NFC').toLocaleLowerCase('de');
}

function byName(a: PersonRecord, b: PersonRecord): number {
  return collator.compare(a.lastName, b.lastName) || collator.compare(a.firstName, b.firstName) || a.id - b.id;
}

function getPerson(state: StandInState, id: number): PersonRecord {
  const p = state.persons.get(id);
  if (!p) throw notFound('Person', id);
  return p;
}

export function personsRoutes({ state, maxPageSize }: PersonsRouteOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/persons', (c) => {
    requirePermission(c, 'churchdb', 'view');
    const url = new URL(c.req.url);
    const paging = readPaging(url, maxPageSize);
    const ids = queryIntArray(url, 'ids');
    const statusIds = queryIntArray(url, 'status_ids');
    const campusIds = queryIntArray(url, 'campus_ids');
    const before = requireDate(queryString(url, 'birthday_before'), 'birthday_before');
    const after = requireDate(queryString(url, 'birthday_after'), 'birthday_after');
    // [I] Without is_archived the list holds non-archived people only (reference §6 question 7).
    const archived = queryBool(url, 'is_archived') ?? false;
    const includeTags = queryArray(url, 'include').includes('tags');
    const seeArchive = can(c.get('perms'), 'churchdb', 'view archive');
    const list = [...state.persons.values()]
      .filter((p) => p.isArchived === archived)
      .filter((p) => !p.isArchived || seeArchive)
      .filter((p) => ids.length === 0 || ids.includes(p.id))
      .filter((p) => statusIds.length === 0 || statusIds.includes(p.statusId))
      .filter((p) => campusIds.length === 0 || campusIds.includes(p.campusId))
      .filter((p) => before === undefined || (p.birthday !== null && p.birthday <= before))
      .filter((p) => after === undefined || (p.birthday !== null && p.birthday >= after))
      .sort(byName);
    const page = paginate(list, paging);
    return c.json({ data: page.data.map((p) => personView(state, p, c.get('perms'), includeTags)), meta: page.meta });
  });

  // Registered before /persons/:id so the literal path wins.
  app.get('/persons/relationships', (c) => {
    requirePermission(c, 'churchdb', 'view');
    const data = state.relationships.map((r) => {
      const type = state.relationshipTypes.find((t) => t.id === r.relationshipTypeId);
      return {
        id: r.id,
        personAId: r.personAId,
        personBId: r.personBId,
        relationshipType: type ? { id: type.id, name: type.name, nameTranslated: type.name, degreeNameA: type.degreeNameA, degreeNameB: type.degreeNameB, securityLevelId: 1, sortKey: type.sortKey, includeInExport: true } : null,
      };
    });
    return c.json({ data });
  });

  app.get('/persons/:id', (c) => {
    requirePermission(c, 'churchdb', 'view');
    const p = getPerson(state, pathId(c, 'id', 'Person'));
    const includeTags = queryArray(new URL(c.req.url), 'include').includes('tags');
    return c.json({ data: personView(state, p, c.get('perms'), includeTags) });
  });

  app.post('/persons', async (c) => {
    requirePermission(c, 'churchdb', 'create person');
    const user = currentUser(c);
    const body = await parseBody(c, personBody);
    const errors: FieldError[] = [];
    if (!body.firstName?.trim()) errors.push(fieldError('firstName', 'validation.not.empty', 'firstName must not be empty'));
    if (!body.lastName?.trim()) errors.push(fieldError('lastName', 'validation.not.empty', 'lastName must not be empty'));
    if (!body.departmentIds || body.departmentIds.length === 0) errors.push(fieldError('departmentIds', 'validation.not.empty', 'At least one department MUST be set'));
    errors.push(...checkReferences(state, body));
    if (errors.length > 0) throw validationError(errors);

    const url = new URL(c.req.url);
    const force = queryBool(url, 'force') ?? false;
    if (!force) {
      const duplicate = [...state.persons.values()].some((p) => sameName(p.firstName, body.firstName ?? '') && sameName(p.lastName, body.lastName ?? ''));
      if (duplicate) {
        throw new ApiError(400, envelope('Duplicate found. Use force flag to create person with same name.', 'forbidden.duplicate.person', 'Es existiert bereits eine Person mit diesem Namen.'));
      }
    }

    const id = state.nextId.person++;
    const p = blankPerson(id, newMeta(state, user.personId));
    p.statusId = state.personDefaults.statusId;
    p.campusId = state.personDefaults.campusId;
    applyBody(p, body);
    state.persons.set(id, p);
    // The published description answers 200 ("New person"), not 201 (ct-contract-2026-12).
    return c.json({ data: personView(state, p, c.get('perms'), false) }, 200);
  });

  app.patch('/persons/:id', async (c) => {
    requirePermission(c, 'churchdb', 'write access');
    const user = currentUser(c);
    const p = getPerson(state, pathId(c, 'id', 'Person'));
    const body = await parseBody(c, personBody);
    const errors = checkReferences(state, body);
    if (body.departmentIds !== undefined && body.departmentIds.length === 0) {
      errors.push(fieldError('departmentIds', 'validation.not.empty', 'The last department ID cannot be deleted.'));
    }
    if (body.firstName !== undefined && body.firstName.trim() === '') errors.push(fieldError('firstName', 'validation.not.empty', 'firstName must not be empty'));
    if (body.lastName !== undefined && body.lastName.trim() === '') errors.push(fieldError('lastName', 'validation.not.empty', 'lastName must not be empty'));
    if (errors.length > 0) throw validationError(errors);
    applyBody(p, body);
    touch(p.meta, state, user.personId);
    return c.json({ data: personView(state, p, c.get('perms'), false) });
  });

  app.delete('/persons/:id', (c) => {
    requirePermission(c, 'churchdb', 'delete persons');
    const id = pathId(c, 'id', 'Person');
    getPerson(state, id);
    state.persons.delete(id);
    state.relationships = state.relationships.filter((r) => r.personAId !== id && r.personBId !== id);
    state.groupMembers = state.groupMembers.filter((m) => m.personId !== id);
    state.users.delete(id);
    return c.body(null, 204);
  });

  app.post('/persons/:id/archive', async (c) => {
    requirePermission(c, 'churchdb', 'push/pull archive');
    const user = currentUser(c);
    const p = getPerson(state, pathId(c, 'id', 'Person'));
    const body = await parseBody(c, archiveBody);
    if (p.isArchived !== body.archived) {
      p.isArchived = body.archived;
      touch(p.meta, state, user.personId);
    }
    return c.body(null, 204);
  });

  app.get('/persons/:id/relationships', (c) => {
    requirePermission(c, 'churchdb', 'view');
    const id = pathId(c, 'id', 'Person');
    getPerson(state, id);
    const base = baseUrl(c);
    const data = state.relationships
      .filter((r) => r.personAId === id || r.personBId === id)
      .flatMap((r) => {
        const type = state.relationshipTypes.find((t) => t.id === r.relationshipTypeId);
        const relativeId = r.personAId === id ? r.personBId : r.personAId;
        const relative = state.persons.get(relativeId);
        if (!type || !relative) return [];
        // "Name of type, what this relative is for the user": seen from A, the relative is a B.
        const degree = r.personAId === id ? type.degreeNameB : type.degreeNameA;
        return [{ id: r.id, relationshipTypeId: type.id, relationshipName: type.name, degreeOfRelationship: degree, relative: domainObjectPerson(base, relative) }];
      });
    return c.json({ data });
  });

  app.get('/persons/:id/tags', (c) => {
    requirePermission(c, 'churchdb', 'view');
    const p = getPerson(state, pathId(c, 'id', 'Person'));
    return c.json({ data: p.tagIds.map((t) => tagView(state, t)).filter((t) => t !== undefined) });
  });

  app.get('/persons/:id/groups', (c) => {
    requirePermission(c, 'churchdb', 'view');
    const id = pathId(c, 'id', 'Person');
    getPerson(state, id);
    const base = baseUrl(c);
    const data = state.groupMembers
      .filter((m) => m.personId === id)
      .flatMap((m) => {
        const g = state.groups.get(m.groupId);
        return g ? [{ group: domainObjectGroup(base, g), groupTypeRoleId: m.groupTypeRoleId, groupMemberStatus: m.groupMemberStatus, memberStartDate: m.memberStartDate, memberEndDate: null, comment: null }] : [];
      });
    return c.json({ data });
  });

  // --- tags ---------------------------------------------------------------------------------
  const tagList = () => state.tags.map((t) => tagView(state, t.id)).filter((t) => t !== undefined);
  // Published: TagWithCount items (how many persons carry the tag) and a count meta.
  app.get('/tags/person', (c) => {
    const persons = [...state.persons.values()];
    const data = state.tags.map((t) => ({ id: t.id, name: t.name, description: t.description, color: t.color, count: persons.filter((p) => p.tagIds.includes(t.id)).length }));
    return c.json({ data, meta: { count: data.length } });
  });
  // [I] Older clients call /tags?type=persons; both answer the same list.
  app.get('/tags', (c) => {
    const type = new URL(c.req.url).searchParams.get('type');
    if (type !== 'persons' && type !== 'person') throw validationError([fieldError('type', 'validation.db.field.option', 'type must be persons or songs', { validOptions: ['persons', 'songs'] })]);
    return c.json({ data: tagList() });
  });

  // --- master data --------------------------------------------------------------------------
  const named = (list: { id: number; name: string; sortKey: number }[]) => list.map((x) => ({ ...x, nameTranslated: x.name }));
  const statuses = () => state.statuses.map((s) => ({ id: s.id, name: s.name, nameTranslated: s.name, shorty: s.shorty, isMember: s.isMember, isSearchable: s.isSearchable, securityLevelId: s.securityLevelId, sortKey: s.sortKey }));
  // Master data predates the demo: [I] created by the admin (person 1) at a fixed date.
  const masterMeta = { createdDate: '2020-01-01T00:00:00Z', createdPerson: { id: 1 } };
  const campuses = () => state.campuses.map((cp) => ({ id: cp.id, name: cp.name, nameTranslated: cp.name, shortName: cp.shortName, shorty: cp.shorty, sortKey: cp.sortKey, guid: cp.guid, meta: { ...masterMeta, createdPerson: { ...masterMeta.createdPerson } } }));
  const relationshipTypes = () =>
    state.relationshipTypes.map((r) => ({ id: r.id, name: r.name, nameTranslated: r.name, degreeNameA: r.degreeNameA, degreeNameB: r.degreeNameB, functionKeys: r.id === 2 ? ['noduplicate'] : [], securityLevelId: 1, sortKey: r.sortKey, exportTitle: r.name, includeInExport: true }));

  app.get('/person/masterdata', (c) => {
    requirePermission(c, 'churchdb', 'view');
    const data: Record<string, unknown[]> = {
      ageGroups: [],
      campuses: campuses(),
      commentViewers: [],
      contactLabels: state.contactLabels.map((l) => ({ ...l, nameTranslated: l.name })),
      departments: named(state.departments),
      followUpIntervals: [],
      followUps: [],
      groupCategories: [],
      groupMeetingTemplates: [],
      groupStatuses: [
        { id: 1, name: 'active', nameTranslated: 'aktiv', sortKey: 1 },
        { id: 2, name: 'pending', nameTranslated: 'im Aufbau', sortKey: 2 },
        { id: 3, name: 'archived', nameTranslated: 'archiviert', sortKey: 3 },
        { id: 4, name: 'finished', nameTranslated: 'beendet', sortKey: 4 },
      ],
      groupTypes: state.groupTypes.map((g) => ({ ...g, namePlural: g.name, nameTranslated: g.name, namePluralTranslated: g.name, availableForNewPerson: false, color: 'basic', isLeaderNecessary: false, permissionDepth: 1, postsEnabled: false })),
      growPaths: [],
      relationshipTypes: relationshipTypes(),
      roles: [],
      // PersonMasterData has no family statuses (reference §1.9); see /dbfields.
      sexes: named(state.sexes),
      statuses: statuses(),
      targetGroups: [],
    };
    // Published: `meta` counts the entries of each list.
    return c.json({ data, meta: Object.fromEntries(Object.entries(data).map(([key, list]) => [key, list.length])) });
  });
  app.get('/statuses', (c) => c.json({ data: statuses() }));
  app.get('/campuses', (c) => c.json({ data: campuses() }));
  app.get('/departments', (c) => c.json({ data: named(state.departments) }));
  app.get('/contactlabels', (c) => c.json({ data: state.contactLabels.map((l) => ({ ...l, nameTranslated: l.name })) }));

  /**
   * The published `DbField` (key, deprecated column, shorty, name; no columnName). [I] Family-status
   * options come from here (reference §1.9); [I] `key` is the person field name and `column` the legacy
   * column of cdb_gemeindeperson/cdb_person; `shorty` is the short label, as in the legacy cdb_feld.
   */
  app.get('/dbfields', (c) => {
    const withOptions = queryArray(new URL(c.req.url), 'include').includes('options');
    let id = 0;
    const field = (key: string, column: string, name: string, type: 'text' | 'select' | 'date', category: 'f_address' | 'f_church', options?: { id: number; name: string; sortKey: number }[], shorty = name) => {
      id++;
      const f: Record<string, unknown> = {
        id,
        key,
        column,
        name,
        shorty,
        sortKey: id,
        securityLevel: 1,
        length: type === 'text' ? 50 : null,
        isActive: true,
        isNewPersonField: false,
        deleteOnArchive: false,
        useAsPlaceholder: false,
        lineEnding: '',
        createdByChurch: false,
        hideInFrontend: false,
        isBasicInfo: ['firstName', 'lastName'].includes(key),
        isNotConfigurable: true,
        notConfigurable: true,
        isNullable: type !== 'text',
        nullable: type !== 'text',
        fieldCategory: { id: category === 'f_address' ? 1 : 2, internCode: category, name: category === 'f_address' ? 'Adresse' : 'Gemeinde', table: 'cdb_person' },
        fieldType: { id: type === 'text' ? 2 : type === 'select' ? 1 : 3, internCode: type, name: type, sortKey: 1 },
      };
      if (withOptions && options) f.options = options.map((o) => ({ id: o.id, name: o.name, nameTranslated: o.name, sortKey: o.sortKey }));
      return f;
    };
    const data = [
      field('firstName', 'vorname', 'Vorname', 'text', 'f_address'),
      field('lastName', 'name', 'Name', 'text', 'f_address'),
      field('sexId', 'geschlecht_no', 'Geschlecht', 'select', 'f_address', state.sexes),
      field('birthday', 'geburtsdatum', 'Geburtsdatum', 'date', 'f_address'),
      field('familyStatusId', 'familienstand_no', 'Familienstand', 'select', 'f_address', state.familyStatuses, 'Fam.-Stand'),
      field('statusId', 'status_id', 'Status', 'select', 'f_church', state.statuses),
      field('campusId', 'station_id', 'Station', 'select', 'f_church', state.campuses),
      field('optigemId', 'optigem_nr', 'Optigem-Nr.', 'text', 'f_church', undefined, 'Optigem'),
    ];
    return c.json({ data, meta: { count: data.length } });
  });

  // --- groups -------------------------------------------------------------------------------
  /** The published Group.settings: the stand-in's groups are plain internal groups without sign-up. */
  const groupSettings = {
    allowChildRegistration: false,
    allowOtherRegistration: false,
    allowSameEmailRegistration: false,
    allowSpouseRegistration: false,
    allowWaitinglist: false,
    appointmentId: null,
    appointmentStartDate: null,
    autoAccept: false,
    automaticMoveUp: false,
    defaultPostCommentsActive: false,
    defaultPostNotificationScope: null,
    defaultPostPlaceholderText: null,
    defaultPostVisibility: null,
    dynamicGroupRuleSet: null,
    dynamicGroupStatus: 'none',
    dynamicGroupUpdateFinished: null,
    dynamicGroupUpdateStarted: null,
    externalPostSubscriptionsEnabled: false,
    groupMeeting: { autoCreate: false, templateId: null },
    inStatistic: true,
    informLeader: false,
    isHidden: false,
    isOpenForMembers: false,
    isPublic: false,
    maxMembers: null,
    newMember: { campusId: null, departmentId: null, statusId: null },
    postsEnabled: false,
    qrCodeCheckin: false,
    qrCodeCheckinAutomaticEmail: false,
    showStreet: false,
    signUpClosingDate: null,
    signUpHeadline: null,
    signUpNotificationSentDate: null,
    signUpOpeningDate: null,
    visibility: 'intern',
    waitinglistMaxPersons: null,
  } as const;
  app.get('/groups', (c) => {
    const url = new URL(c.req.url);
    const paging = readPaging(url, maxPageSize);
    const ids = queryIntArray(url, 'ids');
    const query = url.searchParams.get('query')?.toLocaleLowerCase('de');
    const list = [...state.groups.values()]
      .filter((g) => ids.length === 0 || ids.includes(g.id))
      .filter((g) => !query || g.name.toLocaleLowerCase('de').includes(query))
      .sort((a, b) => collator.compare(a.name, b.name));
    const page = paginate(list, paging);
    const data = page.data.map((g) => ({
      id: g.id,
      guid: g.guid,
      name: g.name,
      securityLevelForGroup: 6,
      permissions: { useChat: false, startChat: false },
      information: { groupTypeId: g.groupTypeId, groupStatusId: g.groupStatusId, campusId: g.campusId, note: g.note, imageUrl: null, ageGroupIds: [], chatStatus: 'NOT_STARTED', color: 'basic', dateOfFoundation: null, endDate: null, groupCategoryId: null, groupHomepageUrl: null, maxMembers: null, meetingTime: null, signUpOverrideRoleId: null, targetGroupId: null, weekday: null },
      followUp: {},
      settings: { ...groupSettings, groupMeeting: { ...groupSettings.groupMeeting }, newMember: { ...groupSettings.newMember } },
      meta: { ...g.meta },
    }));
    return c.json({ data, meta: page.meta });
  });

  app.get('/groups/:id/members', (c) => {
    const id = pathId(c, 'id', 'Group');
    const g = state.groups.get(id);
    if (!g) throw notFound('Group', id);
    const url = new URL(c.req.url);
    const paging = readPaging(url, maxPageSize);
    const base = baseUrl(c);
    const members = state.groupMembers
      .filter((m) => m.groupId === id)
      .flatMap((m) => {
        const p = state.persons.get(m.personId);
        return p ? [{ m, p }] : [];
      })
      .sort((a, b) => byName(a.p, b.p));
    const page = paginate(members, paging);
    const data = page.data.map(({ m, p }) => ({
      personId: p.id,
      person: domainObjectPerson(base, p),
      group: domainObjectGroup(base, g),
      groupTypeRoleId: m.groupTypeRoleId,
      groupMemberStatus: m.groupMemberStatus,
      memberStartDate: m.memberStartDate,
      memberEndDate: null,
      comment: null,
      followUpDiffDays: null,
      followUpStep: null,
      followUpUnsuccessfulBackGroupId: null,
      registeredBy: null,
      waitinglistPosition: null,
      fields: {},
    }));
    return c.json({ data, meta: page.meta });
  });

  return app;
}
