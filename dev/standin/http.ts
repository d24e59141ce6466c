/**
 * HTTP plumbing shared by the stand-in routes: ChurchTools' error envelope, PHP-style query parsing and
 * zod body validation mapped onto ChurchTools' validation errors (reference ct-api.md §4.1).
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import type { UserAccount, UserPermissions } from './state.ts';

export interface FieldError {
  fieldId: string;
  message: string;
  messageKey: string;
  args: unknown[] | Record<string, unknown>;
}

export interface ErrorEnvelope {
  message: string;
  messageKey: string;
  translatedMessage: string;
  args: unknown[] | Record<string, unknown>;
  errors: FieldError[];
}

export type AppEnv = {
  Variables: {
    user: UserAccount | null;
    perms: UserPermissions | null;
    sessionId: string | null;
  };
};

export type AppContext = Context<AppEnv>;

/** Thrown by handlers; the server turns it into ChurchTools' error envelope with this status. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly body: ErrorEnvelope | Record<string, unknown>,
  ) {
    super(typeof body.message === 'string' ? body.message : `HTTP ${status}`);
  }
}

export function envelope(message: string, messageKey: string, translatedMessage = message, errors: FieldError[] = [], args: ErrorEnvelope['args'] = []): ErrorEnvelope {
  return { message, messageKey, translatedMessage, args, errors };
}

export function validationError(errors: FieldError[], message = 'There are validation errors'): ApiError {
  return new ApiError(400, envelope(message, 'validation.error', 'Die eingegebenen Daten waren nicht korrekt.', errors));
}

export function fieldError(fieldId: string, messageKey: string, message = messageKey, args: FieldError['args'] = []): FieldError {
  return { fieldId, message, messageKey, args };
}

export function notFound(entity: string, id: string | number): ApiError {
  return new ApiError(404, envelope(`${entity} [${id}] not found`, 'not.found', `${entity} [${id}] wurde nicht gefunden.`));
}

export function forbidden(what = 'Forbidden'): ApiError {
  // [I] The exact 403 text is not documented; the envelope shape is.
  return new ApiError(403, envelope(what, 'forbidden', 'Du hast keine Berechtigung für diese Aktion.'));
}

export function sessionExpired(): ApiError {
  // The JS client's unauthorized interceptor keys on 401 and on this exact message.
  return new ApiError(401, { message: 'Session expired!' });
}

// --- query parsing -----------------------------------------------------------------------------

/**
 * Values of a PHP-style array parameter. axios writes `ids[]=1&ids[]=2`; hand-built URLs use `ids=1`
 * or `ids[0]=1`; all three reach PHP as the same array, so all three are accepted.
 */
export function queryArray(url: URL, name: string): string[] {
  const out: string[] = [];
  for (const [key, value] of url.searchParams) {
    if (key === name || key === `${name}[]` || (key.startsWith(`${name}[`) && key.endsWith(']'))) out.push(value);
  }
  return out;
}

export function queryIntArray(url: URL, name: string): number[] {
  const values = queryArray(url, name);
  const out: number[] = [];
  for (const v of values) {
    for (const part of v.split(',')) {
      if (part.trim() === '') continue;
      const n = Number(part);
      if (!Number.isInteger(n)) throw validationError([fieldError(name, 'validation.integer', `${name} must be a list of integers`)]);
      out.push(n);
    }
  }
  return out;
}

export function queryString(url: URL, name: string): string | undefined {
  const v = url.searchParams.get(name);
  return v === null ? undefined : v;
}

export function queryInt(url: URL, name: string): number | undefined {
  const v = url.searchParams.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw validationError([fieldError(name, 'validation.integer', `${name} must be an integer`)]);
  return n;
}

/** PHP reads `true`, `1` as true and `false`, `0` as false; anything else is a validation error. */
export function queryBool(url: URL, name: string): boolean | undefined {
  const v = url.searchParams.get(name);
  if (v === null || v === '') return undefined;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw validationError([fieldError(name, 'validation.boolean', `${name} must be a boolean`)]);
}

export function requireDate(value: string | undefined, name: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw validationError([fieldError(name, 'validation.date', `${name} must be a date YYYY-MM-DD`)]);
  return value;
}

// --- paging --------------------------------------------------------------------------------

export interface PageMeta {
  count: number;
  all: number;
  pagination: { current: number; lastPage: number; limit: number; total: number };
}

export interface Paging {
  page: number;
  limit: number;
}

/**
 * Reads `page`/`limit`. Since CT 3.100 a too-large limit is rejected with "Die Nummer kann maximal
 * {max} sein." (reference §1.1); [I] the status is 400 with the validation envelope.
 */
export function readPaging(url: URL, maxPageSize: number, defaultLimit = 10): Paging {
  const page = queryInt(url, 'page') ?? 1;
  const limit = queryInt(url, 'limit') ?? defaultLimit;
  if (limit > maxPageSize) {
    const msg = `Die Nummer kann maximal ${maxPageSize} sein.`;
    throw new ApiError(400, envelope(msg, 'validation.error', msg, [fieldError('limit', 'validation.number.max', msg, { max: maxPageSize })]));
  }
  if (limit < 1) {
    const msg = 'Die Nummer muss mindestens 1 sein.';
    throw new ApiError(400, envelope(msg, 'validation.error', msg, [fieldError('limit', 'validation.number.min', msg, { min: 1 })]));
  }
  if (page < 1) {
    const msg = 'Die Nummer muss mindestens 1 sein.';
    throw new ApiError(400, envelope(msg, 'validation.error', msg, [fieldError('page', 'validation.number.min', msg, { min: 1 })]));
  }
  return { page, limit };
}

export function paginate<T>(items: T[], paging: Paging): { data: T[]; meta: PageMeta } {
  const total = items.length;
  const start = (paging.page - 1) * paging.limit;
  const data = items.slice(start, start + paging.limit);
  // [I] lastPage is at least 1 even for an empty result, so "page until lastPage" loops terminate.
  const lastPage = Math.max(1, Math.ceil(total / paging.limit));
  return { data, meta: { count: data.length, all: total, pagination: { current: paging.page, lastPage, limit: paging.limit, total } } };
}

// --- bodies ----------------------------------------------------------------------------------

function issueToFieldError(issue: z.core.$ZodIssue): FieldError {
  const fieldId = issue.path.length > 0 ? issue.path.map(String).join('.') : 'body';
  switch (issue.code) {
    case 'invalid_type': {
      const expected = issue.expected;
      const key = expected === 'string' ? 'validation.string' : expected === 'number' || expected === 'int' ? 'validation.integer' : expected === 'boolean' ? 'validation.boolean' : expected === 'array' ? 'validation.array' : 'validation.type';
      // A missing required field is reported as "not empty", as ChurchTools does for required fields.
      return fieldError(fieldId, issue.input === undefined ? 'validation.not.empty' : key, issue.message);
    }
    case 'too_big':
      return fieldError(fieldId, issue.origin === 'string' ? 'validation.length.max' : 'validation.number.max', issue.message, { max: Number(issue.maximum) });
    case 'too_small':
      return fieldError(fieldId, issue.origin === 'string' && Number(issue.minimum) === 1 ? 'validation.not.empty' : issue.origin === 'string' ? 'validation.length.min' : issue.origin === 'array' ? 'validation.not.empty' : 'validation.number.min', issue.message, { min: Number(issue.minimum) });
    case 'invalid_format':
      return fieldError(fieldId, issue.format === 'email' ? 'please.enter.valid.email' : 'validation.format', issue.message);
    default:
      return fieldError(fieldId, 'validation.error', issue.message);
  }
}

/** Parses a JSON body with zod; any problem becomes ChurchTools' 400 validation envelope. */
export async function parseBody<S extends z.ZodType>(c: AppContext, schema: S): Promise<z.output<S>> {
  let raw: unknown;
  const text = await c.req.text();
  if (text.trim() === '') raw = {};
  else {
    try {
      raw = JSON.parse(text);
    } catch {
      throw validationError([fieldError('body', 'validation.json', 'The request body is not valid JSON')]);
    }
  }
  // reportInput lets a missing field (input undefined) be told apart from a wrongly typed one.
  const result = schema.safeParse(raw, { reportInput: true });
  if (!result.success) throw validationError(result.error.issues.map(issueToFieldError));
  return result.data;
}

// --- permissions -----------------------------------------------------------------------------

export function can(perms: UserPermissions | null, module: string, right: string): boolean {
  const value = perms?.modules[module]?.[right];
  if (value === undefined || value === false) return false;
  if (value === true) return true;
  return value.length > 0;
}

export function requirePermission(c: AppContext, module: string, right: string): void {
  if (!can(c.get('perms'), module, right)) throw forbidden(`Forbidden. Permission \`${right}\` needed.`);
}

export function currentUser(c: AppContext): UserAccount {
  const user = c.get('user');
  if (!user) throw sessionExpired();
  return user;
}

export function baseUrl(c: AppContext): string {
  return new URL(c.req.url).origin;
}

export function pathId(c: AppContext, name: string, entity: string): number {
  const raw = c.req.param(name) ?? '';
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n)) {
    throw new ApiError(400, envelope('There are validation errors', 'validation.integer', 'Die eingegebenen Daten waren nicht korrekt.', [fieldError(name, 'validation.integer', `${entity} id must be an integer`)]));
  }
  return n;
}

