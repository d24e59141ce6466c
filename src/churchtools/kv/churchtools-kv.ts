/**
 * KvBackend on ChurchTools' custom-module endpoints (reference ct-extension §4.1). The module
 * is found by listing `/custommodules` and matching `shorty` (`GET /custommodules/{key}`
 * answers 400 on current builds); its id is cached, and forgotten again after a failure.
 */
import { z } from 'zod';
import type { CtHttp } from '../http/ct-http.ts';
import { CtHttpError, toPortError } from '../http/errors.ts';
import { EXTENSION_KEY, type MissingRight } from '../permissions.ts';
import { MAX_VALUE_LENGTH, type KvBackend, type KvCategory, type KvValue } from './backend.ts';
import { KvRightsError, ValueTooLargeError } from './errors.ts';

const moduleSchema = z.looseObject({ id: z.number(), shorty: z.string(), name: z.string().nullish() });
const categorySchema = z.looseObject({ id: z.number(), shorty: z.string(), name: z.string().nullish() });
const valueSchema = z.looseObject({ id: z.number(), value: z.string().nullish() });
const ignored = z.unknown();

export class ChurchToolsKv implements KvBackend {
  readonly moduleKey: string;
  private readonly http: CtHttp;
  private moduleIdPromise: Promise<number> | null = null;

  constructor(http: CtHttp, moduleKey: string = EXTENSION_KEY) {
    this.http = http;
    this.moduleKey = moduleKey;
  }

  moduleId(): Promise<number> {
    if (!this.moduleIdPromise) {
      const promise = this.findModule();
      this.moduleIdPromise = promise;
      promise.catch(() => {
        if (this.moduleIdPromise === promise) this.moduleIdPromise = null;
      });
    }
    return this.moduleIdPromise;
  }

  async listCategories(): Promise<KvCategory[]> {
    const base = await this.base();
    const list = await this.call(() => this.http.get(`${base}/customdatacategories`, z.array(categorySchema)), 'list data categories', {
      permission: 'view custom category',
    });
    return list.map((c) => ({ id: c.id, shorty: c.shorty, name: c.name ?? c.shorty }));
  }

  async createCategory(shorty: string, name: string, description: string): Promise<KvCategory> {
    const base = await this.base();
    const moduleId = await this.moduleId();
    const created = await this.call(
      () => this.http.post(`${base}/customdatacategories`, { customModuleId: moduleId, name, shorty, description }, categorySchema),
      `create data category "${shorty}"`,
      { permission: 'create custom category' },
    );
    return { id: created.id, shorty: created.shorty, name: created.name ?? name };
  }

  async deleteCategory(categoryId: number): Promise<void> {
    const base = await this.base();
    await this.call(() => this.http.delete(`${base}/customdatacategories/${categoryId}`), `delete data category ${categoryId}`, {
      permission: 'delete custom category',
      id: categoryId,
    });
  }

  async listValues(categoryId: number): Promise<KvValue[]> {
    const base = await this.base();
    const list = await this.call(
      () => this.http.get(`${base}/customdatacategories/${categoryId}/customdatavalues`, z.array(valueSchema)),
      `read data category ${categoryId}`,
      { permission: 'view custom data', id: categoryId },
    );
    return list.map((v) => ({ id: v.id, value: v.value ?? '' }));
  }

  async createValue(categoryId: number, value: string): Promise<KvValue> {
    checkLength(value);
    const base = await this.base();
    const created = await this.call(
      () => this.http.post(`${base}/customdatacategories/${categoryId}/customdatavalues`, { dataCategoryId: categoryId, value }, valueSchema),
      `write to data category ${categoryId}`,
      { permission: 'create custom data', id: categoryId },
    );
    return { id: created.id, value: created.value ?? value };
  }

  async updateValue(categoryId: number, valueId: number, value: string): Promise<void> {
    checkLength(value);
    const base = await this.base();
    await this.call(
      () =>
        this.http.put(
          `${base}/customdatacategories/${categoryId}/customdatavalues/${valueId}`,
          { dataCategoryId: categoryId, value },
          ignored,
        ),
      `update value ${valueId} of data category ${categoryId}`,
      { permission: 'edit custom data', id: categoryId },
    );
  }

  async deleteValue(categoryId: number, valueId: number): Promise<void> {
    const base = await this.base();
    await this.call(
      () => this.http.delete(`${base}/customdatacategories/${categoryId}/customdatavalues/${valueId}`),
      `delete value ${valueId} of data category ${categoryId}`,
      { permission: 'delete custom data', id: categoryId },
    );
  }

  private async base(): Promise<string> {
    return `/custommodules/${await this.moduleId()}`;
  }

  private async findModule(): Promise<number> {
    const modules = await this.call(() => this.http.get('/custommodules', z.array(moduleSchema)), 'list extension modules', null);
    const found = modules.filter((m) => m.shorty === this.moduleKey).sort((a, b) => a.id - b.id)[0];
    if (!found) {
      // A module the user has no rights on is not listed at all, admins included
      // (ct-extension §4.1), so "not found" usually means "not granted".
      throw new KvRightsError(
        `The extension module "${this.moduleKey}" is not visible: either it is not installed, or you lack its view right.`,
        [{ module: this.moduleKey, permission: 'view', purpose: 'open the Optigem sync extension' }],
      );
    }
    return found.id;
  }

  /** Runs a request; a 403 becomes a KvRightsError naming the right the operation needs. */
  private async call<T>(run: () => Promise<T>, operation: string, right: { permission: string; id?: number } | null): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof CtHttpError && error.status === 403 && right) {
        const missing: MissingRight = {
          module: this.moduleKey,
          permission: right.permission,
          purpose: operation,
          ...(right.id !== undefined ? { ids: [right.id] } : {}),
        };
        throw new KvRightsError(`ChurchTools refused to ${operation}.`, [missing]);
      }
      throw toPortError(error, { operation });
    }
  }
}

function checkLength(value: string): void {
  if (value.length > MAX_VALUE_LENGTH) throw new ValueTooLargeError('A data value', value.length, MAX_VALUE_LENGTH);
}
