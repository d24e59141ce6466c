/**
 * What the current user may do, read from `/permissions/global` and `/whoami`, so the UI can
 * name a missing right before a run instead of failing half-way (reference ct-api §3.4,
 * ct-extension §4.4). Rights are additive; a missing one is `false` or `[]`; arrays hold ids
 * (categories, periods, security levels), and [I] `-1` means "all".
 */
import { z } from 'zod';
import type { CtHttp } from './http/ct-http.ts';
import { toPortError } from './http/errors.ts';

export const EXTENSION_KEY = 'optigem-sync';

/** A right to grant, spelled the way ChurchTools' permission screen and API name it. */
export interface MissingRight {
  /** Module shorty, e.g. `churchdb`, `finance`, or the extension key for its data categories. */
  readonly module: string;
  /** Permission key, e.g. `push/pull archive`, `edit custom data`. */
  readonly permission: string;
  /** What it is needed for, in plain words. */
  readonly purpose: string;
  /** For per-category (or per-period) rights: the ids it must include. */
  readonly ids?: readonly number[];
}

export type Capability =
  | 'readPersons'
  | 'writePersons'
  | 'createPersons'
  | 'archivePersons'
  | 'deletePersons'
  | 'readFinance'
  | 'writeFinance';

export type CategoryRight = 'view custom data' | 'create custom data' | 'edit custom data' | 'delete custom data';

export interface CategoryRights {
  readonly view: boolean;
  readonly create: boolean;
  readonly edit: boolean;
  readonly delete: boolean;
}

const modulePermissionsSchema = z.record(z.string(), z.unknown());
/** Modules map to objects of rights; anything else (a deactivated module's leftovers) is skipped. */
const globalPermissionsSchema = z.record(z.string(), z.unknown()).transform((raw) => {
  const modules = new Map<string, Readonly<Record<string, unknown>>>();
  for (const [name, value] of Object.entries(raw)) {
    const parsed = modulePermissionsSchema.safeParse(value);
    if (parsed.success) modules.set(name, parsed.data);
  }
  return modules;
});
export type GlobalPermissions = z.output<typeof globalPermissionsSchema>;

const whoamiSchema = z.looseObject({
  id: z.number(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
});

export interface CurrentUser {
  readonly id: number;
  readonly name: string;
}

/** Which right each capability needs (reference ct-api §3.4; [I] for archive and finance). */
const CAPABILITY_RIGHTS: Readonly<Record<Capability, readonly { module: string; permission: string; purpose: string; anyId?: boolean }[]>> = {
  readPersons: [
    { module: 'churchdb', permission: 'view', purpose: 'see the persons module' },
    { module: 'churchdb', permission: 'view alldata', purpose: 'read all persons', anyId: true },
  ],
  writePersons: [{ module: 'churchdb', permission: 'write access', purpose: 'change persons' }],
  createPersons: [{ module: 'churchdb', permission: 'create person', purpose: 'create persons' }],
  archivePersons: [
    { module: 'churchdb', permission: 'push/pull archive', purpose: 'archive persons' },
    { module: 'churchdb', permission: 'view archive', purpose: 'read archived persons' },
  ],
  deletePersons: [{ module: 'churchdb', permission: 'delete persons', purpose: 'delete persons' }],
  readFinance: [
    { module: 'finance', permission: 'view', purpose: 'see the finance module' },
    { module: 'finance', permission: 'view accounting period', purpose: 'read bookings of an accounting period', anyId: true },
  ],
  writeFinance: [{ module: 'finance', permission: 'edit accounting period', purpose: 'write bookings', anyId: true }],
};

export class Permissions {
  readonly user: CurrentUser | null;
  private readonly raw: GlobalPermissions;
  private readonly moduleKey: string;

  constructor(raw: GlobalPermissions | Readonly<Record<string, unknown>>, user: CurrentUser | null, moduleKey: string = EXTENSION_KEY) {
    this.raw = raw instanceof Map ? raw : globalPermissionsSchema.parse(raw);
    this.user = user;
    this.moduleKey = moduleKey;
  }

  /** True for `true`, for an array holding `id` (or -1), or for a non-empty array when no id is asked for. */
  has(module: string, permission: string, id?: number): boolean {
    const value = this.raw.get(module)?.[permission];
    if (value === true) return true;
    if (Array.isArray(value)) {
      if (id === undefined) return value.length > 0;
      return value.includes(id) || value.includes(-1);
    }
    return false;
  }

  can(capability: Capability): boolean {
    return CAPABILITY_RIGHTS[capability].every((r) => this.has(r.module, r.permission));
  }

  get canReadPersons(): boolean {
    return this.can('readPersons');
  }
  get canWritePersons(): boolean {
    return this.can('writePersons');
  }
  get canCreatePersons(): boolean {
    return this.can('createPersons');
  }
  get canArchive(): boolean {
    return this.can('archivePersons');
  }
  get canDeletePersons(): boolean {
    return this.can('deletePersons');
  }
  get canReadFinance(): boolean {
    return this.can('readFinance');
  }
  get canWriteFinance(): boolean {
    return this.can('writeFinance');
  }

  /** The extension module is visible at all (without `view` nobody sees it, admins included). */
  get moduleVisible(): boolean {
    return this.has(this.moduleKey, 'view');
  }

  get canCreateCategory(): boolean {
    return this.has(this.moduleKey, 'create custom category');
  }

  categoryRights(categoryId: number): CategoryRights {
    return {
      view: this.has(this.moduleKey, 'view custom data', categoryId),
      create: this.has(this.moduleKey, 'create custom data', categoryId),
      edit: this.has(this.moduleKey, 'edit custom data', categoryId),
      delete: this.has(this.moduleKey, 'delete custom data', categoryId),
    };
  }

  /** Rights missing for `capabilities`, each named exactly as ChurchTools names it. */
  missingFor(capabilities: readonly Capability[]): MissingRight[] {
    const missing: MissingRight[] = [];
    const seen = new Set<string>();
    for (const capability of capabilities) {
      for (const right of CAPABILITY_RIGHTS[capability]) {
        const key = `${right.module}\u0000${right.permission}`;
        if (seen.has(key) || this.has(right.module, right.permission)) continue;
        seen.add(key);
        missing.push({ module: right.module, permission: right.permission, purpose: right.purpose });
      }
    }
    return missing;
  }

  /**
   * Rights missing on the extension's own data categories. `categories` maps a purpose (e.g.
   * "jobs") to its category id, or to null for a category that does not exist yet.
   */
  missingStoreRights(
    categories: readonly { readonly shorty: string; readonly id: number | null }[],
    rights: readonly CategoryRight[] = ['view custom data', 'create custom data', 'edit custom data', 'delete custom data'],
  ): MissingRight[] {
    const missing: MissingRight[] = [];
    if (!this.moduleVisible) {
      missing.push({ module: this.moduleKey, permission: 'view', purpose: 'open the Optigem sync extension' });
    }
    if (categories.some((c) => c.id === null) && !this.canCreateCategory) {
      missing.push({ module: this.moduleKey, permission: 'create custom category', purpose: 'set up the extension data on first use' });
    }
    for (const right of rights) {
      const ids = categories.flatMap((c) => (c.id !== null && !this.has(this.moduleKey, right, c.id) ? [c.id] : []));
      if (ids.length > 0) {
        missing.push({ module: this.moduleKey, permission: right, purpose: `${right} in the extension's data categories`, ids });
      }
    }
    return missing;
  }

  /** Everything a person sync with archive and delete needs, for a first overview. */
  get missingRights(): MissingRight[] {
    return this.missingFor(['readPersons', 'writePersons', 'createPersons', 'archivePersons', 'deletePersons']);
  }
}

export class PermissionService {
  private readonly http: CtHttp;
  private readonly moduleKey: string;

  constructor(http: CtHttp, moduleKey: string = EXTENSION_KEY) {
    this.http = http;
    this.moduleKey = moduleKey;
  }

  async load(): Promise<Permissions> {
    try {
      const [raw, me] = await Promise.all([
        this.http.get('/permissions/global', globalPermissionsSchema),
        // Without only_allow_authenticated an anonymous caller gets 200 with id -1 (ct-extension §3.5).
        this.http.get('/whoami', whoamiSchema, { only_allow_authenticated: true }),
      ]);
      const user = me.id > 0 ? { id: me.id, name: [me.firstName, me.lastName].filter(Boolean).join(' ') } : null;
      return new Permissions(raw, user, this.moduleKey);
    } catch (error) {
      throw toPortError(error, { operation: 'read permissions' });
    }
  }
}
