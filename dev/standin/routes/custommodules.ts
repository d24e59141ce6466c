/**
 * The custom-module key-value store extensions persist their data in (reference ct-extension.md §4):
 * whole-category reads, no paging, no filters, no ETags, rights per category id.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import {
  ApiError,
  can,
  currentUser,
  envelope,
  fieldError,
  forbidden,
  notFound,
  parseBody,
  pathId,
  queryBool,
  validationError,
  type AppContext,
  type AppEnv,
} from '../http.ts';
import { rightCovers, type CategorySet, type CustomCategoryRecord, type CustomModuleRecord, type ModuleRights, type StandInState } from '../state.ts';

/** Limits from the instance OpenAPI schema, build 32882 (ct-extension.md §4.3). */
export const MAX_VALUE_LENGTH = 10_000;
export const MAX_CATEGORY_DATA_LENGTH = 2_000;

const moduleBody = z.object({
  name: z.string().min(1).max(100),
  shorty: z.string().min(2).max(50).regex(/^[a-z0-9-]+$/),
  description: z.string().max(300).optional(),
  sortKey: z.int().optional(),
  inMenu: z.boolean().optional(),
});

const categoryBody = z.object({
  customModuleId: z.int(),
  name: z.string().min(1).max(100),
  shorty: z.string().min(2).max(50),
  description: z.string().max(300),
  data: z.string().max(MAX_CATEGORY_DATA_LENGTH).nullable().optional(),
});

const valueBody = z.object({
  dataCategoryId: z.int(),
  value: z.string().max(MAX_VALUE_LENGTH),
});

export function customModulesRoutes({ state }: { state: StandInState }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  const rightsOf = (c: AppContext, m: CustomModuleRecord): ModuleRights | undefined => c.get('perms')?.customModules[m.shorty];
  const covers = (c: AppContext, m: CustomModuleRecord, right: keyof Omit<ModuleRights, 'view' | 'createCategory'>, categoryId: number): boolean => {
    const r = rightsOf(c, m);
    if (!r) return false;
    const set: CategorySet = r[right];
    return rightCovers(set, categoryId);
  };

  const getModule = (c: AppContext, param = 'moduleId'): CustomModuleRecord => {
    // A key instead of the numeric id is rejected (infoscreen G31: 400 validation.integer).
    const id = pathId(c, param, 'CustomModule');
    const m = state.customModules.get(id);
    if (!m) throw notFound('CustomModule', id);
    if (!rightsOf(c, m)?.view) throw forbidden(`Forbidden. Permission \`view\` for custom module ${m.shorty} needed.`);
    return m;
  };
  const getCategory = (c: AppContext, m: CustomModuleRecord): CustomCategoryRecord => {
    const id = pathId(c, 'categoryId', 'CustomModuleDataCategory');
    const cat = state.customCategories.get(id);
    if (!cat || cat.customModuleId !== m.id) throw notFound('CustomModuleDataCategory', id);
    return cat;
  };
  const categoryView = (cat: CustomCategoryRecord) => {
    const view: Record<string, unknown> = { id: cat.id, customModuleId: cat.customModuleId, name: cat.name, shorty: cat.shorty, description: cat.description };
    if (cat.data !== null) view.data = cat.data;
    return view;
  };
  const moduleView = (m: CustomModuleRecord) => ({ id: m.id, name: m.name, shorty: m.shorty, description: m.description, sortKey: m.sortKey });

  // "All modules visible to the user": empty without module rights, admins included (§4.1).
  app.get('/custommodules', (c) => {
    const data = [...state.customModules.values()].filter((m) => rightsOf(c, m)?.view).sort((a, b) => a.sortKey - b.sortKey || a.id - b.id).map(moduleView);
    return c.json({ data });
  });

  app.post('/custommodules', async (c) => {
    currentUser(c);
    if (!can(c.get('perms'), 'churchcore', 'administer custom modules')) throw forbidden('Forbidden. Permission `administer custom modules` needed.');
    const body = await parseBody(c, moduleBody);
    if ([...state.customModules.values()].some((m) => m.shorty === body.shorty)) {
      throw validationError([fieldError('shorty', 'validation.unique', `A custom module with shorty ${body.shorty} exists already`)]);
    }
    const m: CustomModuleRecord = { id: state.nextId.customModule++, name: body.name, shorty: body.shorty, description: body.description ?? '', sortKey: body.sortKey ?? 0 };
    state.customModules.set(m.id, m);
    return c.json({ data: moduleView(m) }, 201);
  });

  app.get('/custommodules/:moduleId', (c) => c.json({ data: moduleView(getModule(c)) }));

  app.delete('/custommodules/:moduleId', (c) => {
    if (!can(c.get('perms'), 'churchcore', 'administer custom modules')) throw forbidden('Forbidden. Permission `administer custom modules` needed.');
    const id = pathId(c, 'moduleId', 'CustomModule');
    const m = state.customModules.get(id);
    if (!m) throw notFound('CustomModule', id);
    const categories = [...state.customCategories.values()].filter((cat) => cat.customModuleId === id);
    const values = [...state.customValues.values()].filter((v) => categories.some((cat) => cat.id === v.dataCategoryId));
    if (queryBool(new URL(c.req.url), 'dry_run') === true) {
      // The dry run reports what a delete would wipe (infoscreen G38).
      return c.json({ data: { deleteable: true, references: [
        { tableName: 'cdb_custommodule_datacategory', columnName: 'custommodule_id', count: categories.length, blocksDeletion: false, type: 'ENTRY' },
        { tableName: 'cdb_custommodule_datavalue', columnName: 'datacategory_id', count: values.length, blocksDeletion: false, type: 'ENTRY' },
      ] } }, 409);
    }
    for (const v of values) state.customValues.delete(v.id);
    for (const cat of categories) state.customCategories.delete(cat.id);
    state.customModules.delete(id);
    // Delete + reinstall wipes the module permissions too (G38).
    for (const perms of state.permissions.values()) delete perms.customModules[m.shorty];
    return c.body(null, 204);
  });

  app.get('/custommodules/:moduleId/customdatacategories', (c) => {
    const m = getModule(c);
    const data = [...state.customCategories.values()].filter((cat) => cat.customModuleId === m.id && covers(c, m, 'viewCategory', cat.id)).sort((a, b) => a.id - b.id).map(categoryView);
    return c.json({ data });
  });

  app.post('/custommodules/:moduleId/customdatacategories', async (c) => {
    const m = getModule(c);
    if (!rightsOf(c, m)?.createCategory) throw forbidden('Forbidden. Permission `create custom category` needed.');
    const body = await parseBody(c, categoryBody);
    if (body.customModuleId !== m.id) throw validationError([fieldError('customModuleId', 'validation.db.field.option', 'customModuleId does not match the module in the path')]);
    const cat: CustomCategoryRecord = { id: state.nextId.customCategory++, customModuleId: m.id, name: body.name, shorty: body.shorty, description: body.description, data: body.data ?? null };
    state.customCategories.set(cat.id, cat);
    return c.json({ data: categoryView(cat) }, 201);
  });

  app.put('/custommodules/:moduleId/customdatacategories/:categoryId', async (c) => {
    const m = getModule(c);
    const cat = getCategory(c, m);
    if (!covers(c, m, 'editCategory', cat.id)) throw forbidden('Forbidden. Permission `edit custom category` needed.');
    const body = await parseBody(c, categoryBody.extend({ customModuleId: z.int().optional() }));
    // A PUT replaces the category: omitted `data` is cleared.
    cat.name = body.name;
    cat.shorty = body.shorty;
    cat.description = body.description;
    cat.data = body.data ?? null;
    return c.json({ data: categoryView(cat) });
  });

  app.delete('/custommodules/:moduleId/customdatacategories/:categoryId', (c) => {
    const m = getModule(c);
    const cat = getCategory(c, m);
    if (!covers(c, m, 'deleteCategory', cat.id)) throw forbidden('Forbidden. Permission `delete custom category` needed.');
    // Deleting a category cascades to its values.
    for (const v of [...state.customValues.values()]) if (v.dataCategoryId === cat.id) state.customValues.delete(v.id);
    state.customCategories.delete(cat.id);
    return c.body(null, 204);
  });

  const valuesPath = '/custommodules/:moduleId/customdatacategories/:categoryId/customdatavalues';

  app.get(valuesPath, (c) => {
    const m = getModule(c);
    const cat = getCategory(c, m);
    if (!covers(c, m, 'viewData', cat.id)) throw forbidden('Forbidden. Permission `view custom data` needed.');
    const data = [...state.customValues.values()].filter((v) => v.dataCategoryId === cat.id).sort((a, b) => a.id - b.id).map((v) => ({ ...v }));
    return c.json({ data });
  });

  app.post(valuesPath, async (c) => {
    const m = getModule(c);
    const cat = getCategory(c, m);
    if (!covers(c, m, 'createData', cat.id)) throw forbidden('Forbidden. Permission `create custom data` needed.');
    const body = await parseBody(c, valueBody);
    if (body.dataCategoryId !== cat.id) throw validationError([fieldError('dataCategoryId', 'validation.db.field.option', 'dataCategoryId does not match the category in the path')]);
    const v = { id: state.nextId.customValue++, dataCategoryId: cat.id, value: body.value };
    state.customValues.set(v.id, v);
    return c.json({ data: { ...v } }, 201);
  });

  app.put(`${valuesPath}/:valueId`, async (c) => {
    const m = getModule(c);
    const cat = getCategory(c, m);
    if (!covers(c, m, 'editData', cat.id)) throw forbidden('Forbidden. Permission `edit custom data` needed.');
    const id = pathId(c, 'valueId', 'CustomModuleDataValue');
    const v = state.customValues.get(id);
    if (!v || v.dataCategoryId !== cat.id) throw notFound('CustomModuleDataValue', id);
    const body = await parseBody(c, valueBody.extend({ dataCategoryId: z.int().optional() }));
    if (body.dataCategoryId !== undefined && body.dataCategoryId !== cat.id) {
      throw new ApiError(400, envelope('There are validation errors', 'validation.error', 'Die eingegebenen Daten waren nicht korrekt.', [fieldError('dataCategoryId', 'validation.db.field.option', 'A value cannot move to another category')]));
    }
    // Blind replace: no ETag, no revision check (ct-extension.md §4.6).
    v.value = body.value;
    return c.json({ data: { ...v } });
  });

  app.delete(`${valuesPath}/:valueId`, (c) => {
    const m = getModule(c);
    const cat = getCategory(c, m);
    if (!covers(c, m, 'deleteData', cat.id)) throw forbidden('Forbidden. Permission `delete custom data` needed.');
    const id = pathId(c, 'valueId', 'CustomModuleDataValue');
    const v = state.customValues.get(id);
    if (!v || v.dataCategoryId !== cat.id) throw notFound('CustomModuleDataValue', id);
    state.customValues.delete(id);
    return c.body(null, 204);
  });

  return app;
}
