/** Health, meta data, categories, audit log and the OpenAPI document. */
import { z } from 'zod';
import { AuditListSchema, AuditQuerySchema, CategoryListSchema, HealthSchema, MetaSchema } from '../../optigem/schemas.ts';
import { defineRoute } from '../http/route.ts';
import type { Route } from '../http/route.ts';
import type { Services } from '../service/index.ts';

export function systemRoutes(services: Services, openApi: () => Record<string, unknown>): Route[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/health',
      summary: 'Is the bridge up? Version, store kind and server time (for clock-skew checks).',
      tag: 'system',
      access: 'public',
      response: { status: 200, schema: HealthSchema, description: 'The bridge is up.' },
      handle: () => ({ status: 200, body: services.meta.health() }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/openapi.json',
      summary: 'This API, as an OpenAPI 3.1 document generated from the zod schemas.',
      tag: 'system',
      access: 'public',
      response: { status: 200, schema: z.record(z.string(), z.unknown()), description: 'The OpenAPI document.' },
      handle: () => ({ status: 200, body: openApi() }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/meta',
      summary: 'Mandant, fiscal years, categories and what this bridge can do.',
      tag: 'system',
      access: 'read',
      response: { status: 200, schema: MetaSchema, description: 'Meta data.' },
      handle: async () => ({ status: 200, body: await services.meta.meta() }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/categories',
      summary: 'Person categories (Personenkategorien), without the archive marker.',
      tag: 'persons',
      access: 'read',
      response: { status: 200, schema: CategoryListSchema, description: 'All categories.' },
      handle: async () => ({ status: 200, body: { items: await services.meta.categories() } }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/audit',
      summary: 'The audit log of writes made through the bridge, newest first (read-write token only).',
      tag: 'system',
      access: 'audit',
      query: AuditQuerySchema,
      response: { status: 200, schema: AuditListSchema, description: 'Audit entries.' },
      handle: async ({ query }) => ({ status: 200, body: { items: await services.meta.audit(query) } }),
    }),
  ];
}
