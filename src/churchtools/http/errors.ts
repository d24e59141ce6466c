/**
 * ChurchTools failures, in two layers: `CtHttpError` is what the transport saw (status,
 * error envelope, timeout); `toPortError` turns it into the engine's `PortError`, naming the
 * record and the cause so a log entry can say what went wrong with whom.
 */
import { z } from 'zod';
import { PortError } from '../../sync/ports.ts';

/** One item of `errors`: a field error object, or, as the published 400 bodies of POST/PATCH /persons say, a plain string. */
const ctErrorItemSchema = z.union([
  z.string(),
  z.looseObject({
    fieldId: z.string().optional(),
    message: z.string().optional(),
    messageKey: z.string().optional(),
    translatedMessage: z.string().optional(),
  }),
]);

/** ChurchTools' error envelope (reference ct-api §4.1). Every field is optional in practice. */
export const ctErrorEnvelopeSchema = z.looseObject({
  message: z.string().optional(),
  messageKey: z.string().optional(),
  translatedMessage: z.string().optional(),
  // `args` is an array in the spec examples and an object for some keys (validation.db.field.option).
  args: z.unknown().optional(),
  // An item we cannot read is dropped, never the whole envelope: its messageKey decides what happens next.
  errors: z
    .array(z.unknown())
    .transform((items) => items.flatMap((item) => {
      const parsed = ctErrorItemSchema.safeParse(item);
      return parsed.success ? [parsed.data] : [];
    }))
    .optional()
    .catch(undefined),
});
export type CtErrorEnvelope = z.infer<typeof ctErrorEnvelopeSchema>;

/** `invalidResponse`: the server answered 2xx, but not in the shape we rely on. */
export type CtFailureKind = 'http' | 'timeout' | 'network' | 'invalidResponse';

export class CtHttpError extends Error {
  readonly kind: CtFailureKind;
  /** HTTP status, or null when no response arrived (timeout, network). */
  readonly status: number | null;
  readonly method: string;
  readonly path: string;
  readonly envelope: CtErrorEnvelope | null;
  /** Seconds from a `Retry-After` header, when ChurchTools sent one (it often does not). */
  readonly retryAfterMs: number | null;

  constructor(init: {
    kind: CtFailureKind;
    status: number | null;
    method: string;
    path: string;
    envelope: CtErrorEnvelope | null;
    retryAfterMs?: number | null;
    message: string;
    cause?: unknown;
  }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'CtHttpError';
    this.kind = init.kind;
    this.status = init.status;
    this.method = init.method;
    this.path = init.path;
    this.envelope = init.envelope;
    this.retryAfterMs = init.retryAfterMs ?? null;
  }

  get messageKey(): string | null {
    return this.envelope?.messageKey ?? null;
  }

  /** Timeouts, network failures and 5xx may succeed later; 4xx will not without a change. */
  get retryable(): boolean {
    if (this.kind === 'timeout' || this.kind === 'network') return true;
    return this.kind === 'http' && this.status !== null && (this.status >= 500 || this.status === 429);
  }

  /** The most helpful human text: translated message plus field errors, like the official errorHelper. */
  get detail(): string {
    const env = this.envelope;
    if (!env) return this.message;
    const nested = (env.errors ?? [])
      .map((e) => {
        if (typeof e === 'string') return e;
        const text = e.translatedMessage ?? e.message ?? e.messageKey ?? '';
        return e.fieldId ? `${e.fieldId}: ${text}` : text;
      })
      .filter((t) => t !== '');
    const main = env.translatedMessage && env.translatedMessage !== 'Translation not yet initialized'
      ? env.translatedMessage
      : (env.message ?? env.messageKey ?? this.message);
    return nested.length > 0 ? `${main} (${nested.join('; ')})` : main;
  }
}

/** The parts of an axios error we use; parsed, not trusted. */
const axiosLikeErrorSchema = z.looseObject({
  code: z.string().optional(),
  name: z.string().optional(),
  message: z.string().optional(),
  response: z
    .looseObject({
      status: z.number(),
      data: z.unknown().optional(),
      headers: z.unknown().optional(),
    })
    .optional(),
});

const headersSchema = z.record(z.string(), z.unknown());

function headerValue(headers: unknown, name: string): string | null {
  if (headers && typeof headers === 'object' && 'get' in headers && typeof headers.get === 'function') {
    // axios' AxiosHeaders has a case-insensitive get(); it is still a plain object too.
    const v: unknown = headers.get(name);
    if (typeof v === 'string') return v;
  }
  const parsed = headersSchema.safeParse(headers);
  if (!parsed.success) return null;
  for (const [key, value] of Object.entries(parsed.data)) {
    if (key.toLowerCase() === name && typeof value === 'string') return value;
    if (key.toLowerCase() === name && typeof value === 'number') return String(value);
  }
  return null;
}

/** `Retry-After` as seconds or as an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(value);
  if (!Number.isNaN(date)) return Math.max(0, date - now);
  return null;
}

function parseEnvelope(data: unknown): CtErrorEnvelope | null {
  if (typeof data === 'string') {
    // A 401 may be text/plain "Session expired!" (reference ct-api §4.1).
    return data.trim() === '' ? null : { message: data.trim() };
  }
  const parsed = ctErrorEnvelopeSchema.safeParse(data);
  return parsed.success ? parsed.data : null;
}

/** Whatever the client rejected with, as a CtHttpError. */
export function toCtHttpError(error: unknown, method: string, path: string): CtHttpError {
  if (error instanceof CtHttpError) return error;
  const parsed = axiosLikeErrorSchema.safeParse(error);
  const e = parsed.success ? parsed.data : {};
  const response = e.response;
  if (response) {
    const envelope = parseEnvelope(response.data);
    const summary = envelope?.translatedMessage ?? envelope?.message ?? envelope?.messageKey ?? `HTTP ${response.status}`;
    return new CtHttpError({
      kind: 'http',
      status: response.status,
      method,
      path,
      envelope,
      retryAfterMs: parseRetryAfter(headerValue(response.headers, 'retry-after')),
      message: `${method} ${path} failed with ${response.status}: ${summary}`,
      cause: error,
    });
  }
  // The client aborts requests through an AbortController after its timeout: axios reports
  // that as a cancellation (ERR_CANCELED), its own timeouts as ECONNABORTED/ETIMEDOUT.
  const timeout = e.code === 'ERR_CANCELED' || e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT' || e.name === 'CanceledError';
  return new CtHttpError({
    kind: timeout ? 'timeout' : 'network',
    status: null,
    method,
    path,
    envelope: null,
    message: timeout
      ? `${method} ${path} timed out`
      : `${method} ${path} failed: ${e.message ?? (error instanceof Error ? error.message : String(error))}`,
    cause: error,
  });
}

function codeFor(error: CtHttpError): string {
  if (error.messageKey) return error.messageKey;
  if (error.kind === 'timeout') return 'ct.timeout';
  if (error.kind === 'network') return 'ct.network';
  if (error.kind === 'invalidResponse') return 'ct.invalidResponse';
  switch (error.status) {
    case 400:
      return 'ct.badRequest';
    case 401:
      return 'ct.unauthorized';
    case 402:
      return 'ct.licenseLimit';
    case 403:
      return 'ct.forbidden';
    case 404:
      return 'ct.notFound';
    case 409:
      return 'ct.conflict';
    case 429:
      return 'ct.rateLimited';
    default:
      return error.status !== null && error.status >= 500 ? 'ct.serverError' : 'ct.http';
  }
}

export interface ErrorContext {
  /** What we tried, e.g. "create person", "read page 3 of /persons". */
  readonly operation: string;
  readonly recordId?: string | null;
  /** Display label, e.g. "Müller, Anna". */
  readonly label?: string | null;
}

/** A PortError that names the record and the cause. Non-HTTP errors pass through as `ct.unexpected`. */
export function toPortError(error: unknown, context: ErrorContext): PortError {
  if (error instanceof PortError) return error;
  const who = [context.label, context.recordId ? `#${context.recordId}` : null].filter(Boolean).join(' ');
  const subject = who ? `${context.operation} ${who}` : context.operation;
  const args: Record<string, string | number> = { operation: context.operation };
  if (context.recordId) args.recordId = context.recordId;
  if (context.label) args.label = context.label;
  if (error instanceof CtHttpError) {
    if (error.status !== null) args.status = error.status;
    if (error.messageKey) args.messageKey = error.messageKey;
    args.cause = error.detail;
    return new PortError(codeFor(error), `ChurchTools: ${subject} failed: ${error.detail}`, {
      retryable: error.retryable,
      args,
      cause: error,
    });
  }
  const detail = error instanceof Error ? error.message : String(error);
  args.cause = detail;
  return new PortError('ct.unexpected', `ChurchTools: ${subject} failed: ${detail}`, { args, cause: error });
}
