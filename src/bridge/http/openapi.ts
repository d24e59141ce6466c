/**
 * The OpenAPI 3.1 document, generated from the route declarations and the shared zod schemas
 * (never written by hand, so it cannot drift from what the server validates).
 */
import { z } from 'zod';
import { API_VERSION, apiSchemas } from '../../optigem/schemas.ts';
import { BRIDGE_VERSION } from '../version.ts';
import type { Route } from './route.ts';

type Json = Record<string, unknown>;

const REF = (id: string): Json => ({ $ref: `#/components/schemas/${id}` });

function stripMeta(schema: Json): Json {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

function schemaRef(schema: z.ZodType): Json {
  const id = apiSchemas.get(schema)?.id;
  if (id !== undefined) return REF(id);
  return stripMeta(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json);
}

/** One OpenAPI parameter per property of a params or query object schema. */
function parametersOf(schema: z.ZodType | undefined, location: 'path' | 'query'): Json[] {
  if (schema === undefined) return [];
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request; `error.fields` names each problem.',
  401: 'Missing or wrong token.',
  403: 'The token may only read, or the bridge does not allow this write.',
  404: 'No such record or fiscal year.',
  409: 'Conflicts with the data (e.g. bookings still point to the person, fiscal year closed).',
  412: 'The record changed since it was read (If-Match does not match its ETag).',
  413: 'The request body is too large.',
  428: 'If-Match is required for this write.',
  500: 'Bridge error.',
};

function operationOf(route: Route): Json {
  const parameters = [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query')];
  if (route.ifMatch) {
    parameters.push({ name: 'If-Match', in: 'header', required: true, schema: { type: 'string' }, description: 'The ETag read before.' });
  }
  if (route.idempotencyKey) {
    parameters.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      schema: { type: 'string', maxLength: 200 },
      description: 'Stable per source record: a repeated create with the same key returns the first result.',
    });
  }
  const errorStatuses = new Set<number>([400, 500, ...route.errors]);
  if (route.access !== 'public') errorStatuses.add(401);
  if (route.access === 'audit') errorStatuses.add(403);
  if (route.access === 'write') {
    errorStatuses.add(403);
    errorStatuses.add(413);
  }
  const responses: Json = {
    [route.response.status]: {
      description: route.response.description,
      ...(route.response.schema ? { content: { 'application/json': { schema: schemaRef(route.response.schema) } } } : {}),
    },
  };
  for (const status of [...errorStatuses].sort()) {
    responses[status] = { description: ERROR_DESCRIPTIONS[status] ?? 'Error.', content: { 'application/json': { schema: REF('Error') } } };
  }
  return {
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [route.tag],
    operationId: `${route.method}${route.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    security: route.access === 'public' ? [] : [{ bearer: [] }],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaRef(route.body) } } } } : {}),
    responses,
  };
}

export function buildOpenApi(routes: readonly Route[]): Json {
  const generated = z.toJSONSchema(apiSchemas, { io: 'input', uri: (id) => `#/components/schemas/${id}` }) as { schemas: Record<string, Json> };
  const schemas = Object.fromEntries(Object.entries(generated.schemas).map(([id, schema]) => [id, stripMeta(schema)]));
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const path = route.path.replace(/:([A-Za-z_]+)/g, '{$1}');
    paths[path] = { ...paths[path], [route.method]: operationOf(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Optigem bridge',
      version: BRIDGE_VERSION,
      description: `Token-protected JSON API over Optigem's persons, categories, bookings, accounts and projects (API ${API_VERSION}).`,
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A read-only or read-write bridge token.' } },
    },
  };
}
