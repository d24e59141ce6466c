/**
 * Typed client of the Optigem bridge, for the browser extension and the CLI. Browser-safe: axios
 * and zod only. Every answer is validated with the same zod schemas the server uses; every
 * failure becomes a BridgeError that says what to do.
 */
import axios from 'axios';
import type { AxiosInstance, AxiosResponse } from 'axios';
import type { z } from 'zod';
import { BridgeError, kindOfStatus, kindOfTransportCode } from './errors.ts';
import {
  AccountListSchema,
  AuditListSchema,
  BookingPageSchema,
  BookingSchema,
  CategoryListSchema,
  CoupleListSchema,
  Donor0ReportSchema,
  ErrorBodySchema,
  FiscalYearListSchema,
  HealthSchema,
  MetaSchema,
  NightlyStartedSchema,
  NightlyStatusSchema,
  PersonPageSchema,
  PersonSchema,
  ProjectListSchema,
} from './schemas.ts';
import type {
  Account,
  AuditEntry,
  Booking,
  BookingCreate,
  BookingPage,
  BookingPatch,
  Category,
  CoupleRecord,
  Donor0Report,
  FiscalYear,
  Health,
  ListQuery,
  Meta,
  NightlyStatusBody,
  Person,
  PersonCreate,
  PersonPage,
  PersonPatch,
  Project,
} from './schemas.ts';

export interface BridgeClientOptions {
  /** e.g. `https://optigem-bridge.gemeinde.de:8478`; a trailing slash is fine. */
  baseUrl: string;
  token: string;
  /** Per request; default 30 s. */
  timeoutMs?: number;
  /**
   * Chrome's Local Network Access: a public page calling a LAN address over plain HTTP must say
   * so (`fetch(..., { targetAddressSpace })`). Setting it switches axios to its fetch adapter.
   */
  targetAddressSpace?: 'private' | 'local';
  /**
   * Repeating requests that may be repeated (see `request`): how many attempts in all (default
   * 3) and the pause before each repetition (default 0.5 s, then 2 s).
   */
  retry?: { attempts?: number; delaysMs?: readonly number[] };
}

const DEFAULT_RETRY = { attempts: 3, delaysMs: [500, 2_000] } as const;

/**
 * What a repeated request can cure: no answer in time, a connection that broke, and a gateway or
 * an overloaded bridge saying so. Never a 4xx: the same request would get the same answer.
 */
const TRANSIENT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE']);
const TRANSIENT_STATUSES = new Set([502, 503, 504]);

/**
 * A kept-alive socket that the bridge closed while idle (Node's server does after 5 s), reused by
 * the client before it saw the close (e.g. while a plan kept the event loop busy): the request
 * most likely never reached the bridge, and goes once more on a fresh socket (Node's documented
 * remedy, `request.reusedSocket`). Only for requests whose second arrival cannot apply twice:
 * reads, keyed creates, and PATCH/DELETE, whose If-Match fails once the first one was applied.
 */
function staleSocket(error: unknown): boolean {
  if (!axios.isAxiosError(error)) return false;
  // axios (Node) hands out follow-redirects' wrapper; the socket's request is its current one.
  const request = error.request as { reusedSocket?: boolean; _currentRequest?: { reusedSocket?: boolean } } | undefined;
  const reused = request?.reusedSocket ?? request?._currentRequest?.reusedSocket;
  return reused === true && (error.code === 'ECONNRESET' || (error.cause as { code?: string } | undefined)?.code === 'ECONNRESET');
}

function transientTransport(error: unknown): boolean {
  if (!axios.isAxiosError(error)) return false;
  const causeCode = (error.cause as { code?: string } | undefined)?.code;
  return TRANSIENT_CODES.has(error.code ?? '') || TRANSIENT_CODES.has(causeCode ?? '');
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

type Method = 'get' | 'post' | 'patch' | 'delete';

interface RequestSpec<S extends z.ZodType | undefined> {
  schema: S;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Answer<T> {
  data: T;
  status: number;
  headers: Record<string, string>;
}

export class BridgeClient {
  readonly baseUrl: string;
  private readonly http: AxiosInstance;
  private readonly attempts: number;
  private readonly delaysMs: readonly number[];
  /**
   * Set when a request failed even after its repetitions, cleared by the next answer: a bridge
   * that stays unreachable then fails each further request at once, instead of holding every
   * remaining request of a run for the pauses.
   */
  private failing = false;

  constructor(options: BridgeClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.attempts = Math.max(1, options.retry?.attempts ?? DEFAULT_RETRY.attempts);
    this.delaysMs = options.retry?.delaysMs ?? DEFAULT_RETRY.delaysMs;
    this.http = axios.create({
      baseURL: this.baseUrl,
      timeout: options.timeoutMs ?? 30_000,
      headers: { Authorization: `Bearer ${options.token}`, Accept: 'application/json' },
      // Statuses are judged below, with the body at hand.
      validateStatus: () => true,
      ...(options.targetAddressSpace ? { adapter: 'fetch', fetchOptions: { targetAddressSpace: options.targetAddressSpace } } : {}),
    });
  }

  async health(): Promise<Health> {
    return (await this.request('get', '/v1/health', { schema: HealthSchema })).data;
  }

  async meta(): Promise<Meta> {
    return (await this.request('get', '/v1/meta', { schema: MetaSchema })).data;
  }

  async categories(): Promise<Category[]> {
    return (await this.request('get', '/v1/categories', { schema: CategoryListSchema })).data.items;
  }

  async listPersons(query: ListQuery = {}): Promise<PersonPage> {
    return (await this.request('get', '/v1/persons', { schema: PersonPageSchema, query: { ...query } })).data;
  }

  async getPerson(nr: number): Promise<Person> {
    return (await this.request('get', `/v1/persons/${nr}`, { schema: PersonSchema })).data;
  }

  /** With an idempotency key, a repeated call returns the person created the first time (`replayed`). */
  async createPerson(input: PersonCreate, options: { idempotencyKey?: string } = {}): Promise<{ person: Person; replayed: boolean }> {
    const answer = await this.request('post', '/v1/persons', {
      schema: PersonSchema,
      body: input,
      headers: options.idempotencyKey ? { 'Idempotency-Key': options.idempotencyKey } : {},
    });
    return { person: answer.data, replayed: answer.headers['idempotent-replayed'] === 'true' };
  }

  /** `etag`: the `etag` of the person as read; a changed person answers with BridgeError kind `changed`. */
  async patchPerson(nr: number, patch: PersonPatch, etag: string): Promise<Person> {
    return (await this.request('patch', `/v1/persons/${nr}`, { schema: PersonSchema, body: patch, headers: { 'If-Match': etag } })).data;
  }

  async archivePerson(nr: number, etag: string): Promise<Person> {
    return (await this.request('post', `/v1/persons/${nr}/archive`, { schema: PersonSchema, headers: { 'If-Match': etag } })).data;
  }

  async unarchivePerson(nr: number, etag: string): Promise<Person> {
    return (await this.request('post', `/v1/persons/${nr}/unarchive`, { schema: PersonSchema, headers: { 'If-Match': etag } })).data;
  }

  async deletePerson(nr: number, etag: string): Promise<void> {
    await this.request('delete', `/v1/persons/${nr}`, { schema: undefined, headers: { 'If-Match': etag } });
  }

  /** Couple records (Nr and first names), without reading every person. */
  async couples(): Promise<CoupleRecord[]> {
    return (await this.request('get', '/v1/couples', { schema: CoupleListSchema })).data.items;
  }

  async fiscalYears(): Promise<FiscalYear[]> {
    return (await this.request('get', '/v1/fiscal-years', { schema: FiscalYearListSchema })).data.items;
  }

  async accounts(fiscalYear: number): Promise<Account[]> {
    return (await this.request('get', `${yearPath(fiscalYear)}/accounts`, { schema: AccountListSchema })).data.items;
  }

  async projects(fiscalYear: number): Promise<Project[]> {
    return (await this.request('get', `${yearPath(fiscalYear)}/projects`, { schema: ProjectListSchema })).data.items;
  }

  async donor0Report(fiscalYear: number): Promise<Donor0Report> {
    return (await this.request('get', `${yearPath(fiscalYear)}/donor-0`, { schema: Donor0ReportSchema })).data;
  }

  async listBookings(fiscalYear: number, query: ListQuery = {}): Promise<BookingPage> {
    return (await this.request('get', `${yearPath(fiscalYear)}/bookings`, { schema: BookingPageSchema, query: { ...query } })).data;
  }

  async getBooking(fiscalYear: number, id: string): Promise<Booking> {
    return (await this.request('get', bookingPath(fiscalYear, id), { schema: BookingSchema })).data;
  }

  async createBooking(fiscalYear: number, input: BookingCreate, options: { idempotencyKey?: string } = {}): Promise<{ booking: Booking; replayed: boolean }> {
    const answer = await this.request('post', `${yearPath(fiscalYear)}/bookings`, {
      schema: BookingSchema,
      body: input,
      headers: options.idempotencyKey ? { 'Idempotency-Key': options.idempotencyKey } : {},
    });
    return { booking: answer.data, replayed: answer.headers['idempotent-replayed'] === 'true' };
  }

  async patchBooking(fiscalYear: number, id: string, patch: BookingPatch, etag: string): Promise<Booking> {
    return (await this.request('patch', bookingPath(fiscalYear, id), { schema: BookingSchema, body: patch, headers: { 'If-Match': etag } })).data;
  }

  async deleteBooking(fiscalYear: number, id: string, etag: string): Promise<void> {
    await this.request('delete', bookingPath(fiscalYear, id), { schema: undefined, headers: { 'If-Match': etag } });
  }

  /** The nightly runner: busy, next run, and the last result of each job with its reason. */
  async nightly(): Promise<NightlyStatusBody> {
    return (await this.request('get', '/v1/nightly', { schema: NightlyStatusSchema })).data;
  }

  /**
   * Run now: what the nightly window does, for every job with automatic execution or the one
   * named (id or name). Answers with the jobs that started; `GET /v1/nightly` shows them finish.
   * A pass going on is BridgeError kind `conflict` with code `nightlyBusy`; nightly runs off:
   * code `nightlyOff`; a job without automatic execution: kind `notFound`.
   */
  async runNightlyNow(job?: string): Promise<{ id: string; name: string }[]> {
    return (await this.request('post', '/v1/nightly/run', { schema: NightlyStartedSchema, body: job === undefined ? {} : { job } })).data.started;
  }

  async audit(query: { limit?: number; entity?: 'person' | 'booking'; recordId?: string } = {}): Promise<AuditEntry[]> {
    return (await this.request('get', '/v1/audit', { schema: AuditListSchema, query: { ...query } })).data.items;
  }

  private async request<S extends z.ZodType | undefined>(
    method: Method,
    path: string,
    spec: RequestSpec<S>,
  ): Promise<Answer<S extends z.ZodType ? z.output<S> : undefined>> {
    const url = `${this.baseUrl}${path}`;
    // Reads change nothing, and a create with an Idempotency-Key answers a repetition with the
    // record the first attempt made (the bridge keeps the key with the record, in its
    // transaction): both may be sent again. Other writes never: a PATCH or DELETE that was
    // applied but whose answer was lost would fail its If-Match the second time.
    const repeatable = method === 'get' || (method === 'post' && spec.headers?.['Idempotency-Key'] !== undefined);
    const attempts = repeatable && !this.failing ? this.attempts : 1;
    let response: AxiosResponse<unknown> | undefined;
    let staleRetried = false;
    for (let attempt = 1; response === undefined; attempt++) {
      const last = attempt >= attempts;
      try {
        response = await this.http.request({
          method,
          url: path,
          params: spec.query ? Object.fromEntries(Object.entries(spec.query).filter(([, v]) => v !== undefined)) : undefined,
          data: spec.body,
          headers: spec.body === undefined ? spec.headers : { 'Content-Type': 'application/json', ...spec.headers },
        });
      } catch (error) {
        if (!staleRetried && (repeatable || method === 'patch' || method === 'delete') && staleSocket(error)) {
          staleRetried = true;
          attempt--;
          continue;
        }
        const transient = transientTransport(error);
        if (last && transient && repeatable) this.failing = true;
        if (last || !transient) throw await this.transportError(error, url);
      }
      if (response !== undefined && TRANSIENT_STATUSES.has(response.status)) {
        if (!last) response = undefined;
        else if (repeatable) this.failing = true;
      } else if (response !== undefined) this.failing = false;
      if (response === undefined) await pause(this.delaysMs[Math.min(attempt, this.delaysMs.length) - 1] ?? 0);
    }
    const headers = Object.fromEntries(
      Object.entries(response.headers).map(([name, value]) => [name.toLowerCase(), String(value)]),
    );
    if (response.status < 200 || response.status >= 300) throw errorFromAnswer(response.status, response.data, url);
    if (spec.schema === undefined) return { data: undefined as never, status: response.status, headers };
    const parsed = spec.schema.safeParse(response.data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new BridgeError('invalidResponse', {
        url,
        status: response.status,
        detail: issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'unreadable body',
      });
    }
    return { data: parsed.data as never, status: response.status, headers };
  }

  /** No HTTP answer at all: tell apart "down", "TLS", "timeout" and "the browser blocked it". */
  private async transportError(error: unknown, url: string): Promise<BridgeError> {
    const code = axios.isAxiosError(error) ? error.code : undefined;
    const causeCode = axios.isAxiosError(error) ? (error.cause as { code?: string } | undefined)?.code : undefined;
    const kind = kindOfTransportCode(causeCode) ?? kindOfTransportCode(code);
    const detail = causeCode ?? code ?? (error instanceof Error ? error.message : 'network error');
    if (kind !== null) return new BridgeError(kind, { url, detail, cause: error });
    if (isBrowser()) return diagnoseInBrowser(url, error);
    return new BridgeError('unreachable', { url, detail, cause: error });
  }
}

function yearPath(fiscalYear: number): string {
  return `/v1/fiscal-years/${encodeURIComponent(String(fiscalYear))}`;
}

function bookingPath(fiscalYear: number, id: string): string {
  return `${yearPath(fiscalYear)}/bookings/${encodeURIComponent(id)}`;
}

function errorFromAnswer(status: number, body: unknown, url: string): BridgeError {
  const parsed = ErrorBodySchema.safeParse(body);
  const code = parsed.success ? parsed.data.error.code : undefined;
  return new BridgeError(kindOfStatus(status, code), {
    url,
    status,
    code,
    detail: parsed.success ? parsed.data.error.message : `HTTP ${status}`,
    fields: parsed.success ? parsed.data.error.fields : undefined,
  });
}

function isBrowser(): boolean {
  return typeof window !== 'undefined' && typeof document !== 'undefined';
}

/**
 * Browsers hide why a request failed. Mixed content is visible from the URLs; otherwise an opaque
 * `no-cors` probe tells "the bridge answers, but CORS forbids reading it" from "nothing answers"
 * (down, wrong address, or Local Network Access denied).
 */
async function diagnoseInBrowser(url: string, cause: unknown): Promise<BridgeError> {
  const pageIsHttps = typeof location !== 'undefined' && location.protocol === 'https:';
  if (pageIsHttps && url.startsWith('http:')) {
    return new BridgeError('blocked', { url, detail: 'mixed content: an HTTPS page may not call an HTTP bridge', cause });
  }
  try {
    await fetch(new URL('/v1/health', url).toString(), { mode: 'no-cors', cache: 'no-store' });
    const origin = typeof location !== 'undefined' ? location.origin : 'this page';
    return new BridgeError('blocked', { url, detail: `CORS: ${origin} is not an allowed origin`, cause });
  } catch {
    return new BridgeError('unreachable', { url, detail: 'no answer (bridge down, wrong address, or local network access denied)', cause });
  }
}
