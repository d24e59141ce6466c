/**
 * One declaration per endpoint drives routing, authorisation, request and response validation
 * and the OpenAPI document, so they cannot disagree.
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { ApiError } from '../errors.ts';
import type { Actor } from '../service/deps.ts';
import { authorise } from './auth.ts';
import type { Access, AuthEnv } from './auth.ts';
import { readJsonBody, toFieldProblems } from './body.ts';
import { pageJson } from './json-text.ts';
import type { PageText } from './json-text.ts';

const EMPTY = z.object({});
type Empty = typeof EMPTY;

export type Method = 'get' | 'post' | 'patch' | 'delete';

export interface HandlerInput<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
  ifMatch: string | undefined;
  idempotencyKey: string | undefined;
  actor: Actor;
}

/** The type of one record of a page schema's `items`. */
type ItemOf<R extends z.ZodType> = z.input<R> extends { items: readonly (infer I)[] } ? I : never;

export type HandlerResult<R extends z.ZodType> =
  | { status: 200 | 201; body: z.input<R>; headers?: Record<string, string> }
  /** A page whose records the service serialised while building them (see json-text.ts). */
  | { status: 200; page: PageText<ItemOf<R>> }
  | { status: 204 };

export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType> {
  method: Method;
  /** Hono path syntax, e.g. `/v1/persons/:nr`. */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  ifMatch?: boolean;
  idempotencyKey?: boolean;
  response: {
    status: 200 | 201 | 204;
    schema?: R;
    description: string;
    /**
     * A page of records that one mapping function built (`items`): with `responseCheck: 'sample'`
     * only the envelope and the first record are checked against the schema (see ResponseCheck).
     */
    page?: boolean;
  };
  /** Error statuses worth documenting besides 400/401/403/413/500. */
  errors?: number[];
  handle(input: HandlerInput<P, Q, B>, c: Context<AuthEnv>): Promise<HandlerResult<R>> | HandlerResult<R>;
}

/** A route with its types erased, ready to register and document. */
export interface Route {
  readonly method: Method;
  readonly path: string;
  readonly summary: string;
  readonly description: string | undefined;
  readonly tag: string;
  readonly access: Access;
  readonly params: z.ZodType | undefined;
  readonly query: z.ZodType | undefined;
  readonly body: z.ZodType | undefined;
  readonly ifMatch: boolean;
  readonly idempotencyKey: boolean;
  readonly response: { status: number; schema: z.ZodType | undefined; description: string; page: boolean };
  readonly errors: readonly number[];
  run(c: Context<AuthEnv>, check: ResponseCheck): Promise<Response>;
}

/**
 * How much of a page the bridge checks against its schema before sending it. Every record of a
 * page is built by the same typed mapping (the service's `present`), so a mistake in it shows in
 * the first record as well as in the 500th; checking all 500 cost a few milliseconds per page,
 * a large share of a page's time. `sample` (the running bridge) checks the envelope and the first
 * record; `every` (the test suite) checks every record. The client checks every record it
 * receives against the same schemas either way, and single-record and other answers are always
 * checked whole.
 */
export type ResponseCheck = 'every' | 'sample';

function hasItems(body: unknown): body is { items: unknown[] } {
  return typeof body === 'object' && body !== null && Array.isArray((body as { items?: unknown }).items);
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

export function defineRoute<P extends z.ZodType = Empty, Q extends z.ZodType = Empty, B extends z.ZodType = Empty, R extends z.ZodType = Empty>(
  spec: RouteSpec<P, Q, B, R>,
): Route {
  const parse = <S extends z.ZodType>(schema: S | undefined, value: unknown, where: string): z.output<S> => {
    const result = (schema ?? EMPTY).safeParse(value);
    if (!result.success) {
      throw new ApiError(400, 'validation', `The request ${where} is not valid; see "fields".`, toFieldProblems(result.error));
    }
    return result.data as z.output<S>;
  };

  return {
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    description: spec.description,
    tag: spec.tag,
    access: spec.access,
    params: spec.params,
    query: spec.query,
    body: spec.body,
    ifMatch: spec.ifMatch ?? false,
    idempotencyKey: spec.idempotencyKey ?? false,
    response: { status: spec.response.status, schema: spec.response.schema, description: spec.response.description, page: spec.response.page ?? false },
    errors: spec.errors ?? [],
    async run(c, check) {
      const actor = authorise(c, spec.access);
      const params = parse(spec.params, c.req.param(), 'path');
      const query = parse(spec.query, c.req.query(), 'query');
      const body = parse(spec.body, spec.body ? await readJsonBody(c) : {}, 'body');
      const idempotencyKey = spec.idempotencyKey ? c.req.header('Idempotency-Key') : undefined;
      if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
        throw new ApiError(400, 'validation', 'Idempotency-Key must be 1 to 200 visible ASCII characters.', [
          { path: 'header.Idempotency-Key', message: 'Use 1 to 200 visible ASCII characters.' },
        ]);
      }
      const result = await spec.handle({ params, query, body, ifMatch: c.req.header('If-Match'), idempotencyKey, actor }, c);
      if (result.status === 204) return c.body(null, 204);
      // A response that does not match its own schema is a bridge bug: fail loudly, not silently.
      const schema = spec.response.schema;
      if ('page' in result) {
        const text = pageJson(result.page);
        if (schema && check === 'sample') schema.parse({ ...result.page, items: result.page.items.slice(0, 1).map((item) => JSON.parse(item) as unknown) });
        else if (schema) schema.parse(JSON.parse(text));
        // As bytes: Node then neither measures the text's UTF-8 length nor encodes it a second time.
        return c.body(new TextEncoder().encode(text), 200, { 'Content-Type': 'application/json' });
      }
      let validated: unknown = result.body;
      if (schema && check === 'sample' && spec.response.page && hasItems(result.body)) schema.parse({ ...result.body, items: result.body.items.slice(0, 1) });
      else if (schema) validated = schema.parse(result.body);
      for (const [name, value] of Object.entries(result.headers ?? {})) c.header(name, value);
      return c.json(validated as object, result.status);
    },
  };
}

export function registerRoutes(app: Hono<AuthEnv>, routes: readonly Route[], check: ResponseCheck): void {
  for (const route of routes) app.on(route.method.toUpperCase(), route.path, (c) => route.run(c, check));
}

/** ETag and Last-Modified headers for a single-record response. */
export function recordHeaders(record: { etag: string; lastModified: string | null }): Record<string, string> {
  const headers: Record<string, string> = { ETag: record.etag };
  if (record.lastModified !== null) headers['Last-Modified'] = new Date(record.lastModified).toUTCString();
  return headers;
}
