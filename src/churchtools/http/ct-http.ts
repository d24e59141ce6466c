/**
 * The one door to ChurchTools. Every module in src/churchtools talks through a CtHttp, so
 * pacing, 429 handling, read retries, error conversion and response validation happen in one
 * place. It wraps `@churchtools/churchtools-client` (which unwraps `{data}` and drops `meta`
 * unless asked for the raw response) instead of reaching into its private axios instance.
 */
import { z } from 'zod';
import { CtHttpError, toCtHttpError } from './errors.ts';
import { Pacer, defaultSleep, type PacerOptions } from './pacer.ts';
import { withQuery, type QueryParams } from './query.ts';

/**
 * The slice of `ChurchToolsClient` (1.6) we use. The real client satisfies it; tests of other
 * parts may pass a fake. Bodies are spread by the client (`{...data}`), so they must be objects.
 */
export interface CtClient {
  get<T>(uri: string, params?: Record<string, unknown>, options?: { rawResponse?: boolean; callDeferred?: boolean }): Promise<T>;
  post<T>(uri: string, data?: Record<string, unknown>, options?: { timeout?: number }): Promise<T>;
  put<T>(uri: string, data: Record<string, unknown>, options?: { timeout?: number }): Promise<T>;
  patch<T>(uri: string, data?: Record<string, unknown>, options?: { timeout?: number }): Promise<T>;
  deleteApi<T>(uri: string, data?: Record<string, unknown>, options?: { timeout?: number }): Promise<T>;
  oldApi?(module: string, func: string, params?: Record<string, unknown>): Promise<unknown>;
  setRequestTimeout?(timeoutInMs: number): void;
}

export interface CtHttpOptions extends PacerOptions {
  /** Wait after a 429 without Retry-After. Default 60 s, as ChurchTools staff recommend. */
  readonly rateLimitWaitMs?: number;
  /** Upper bound for a Retry-After the server asks for. Default 5 minutes. */
  readonly maxRateLimitWaitMs?: number;
  /** 429 retries per request before giving up. Default 5. */
  readonly maxRateLimitRetries?: number;
  /** Retries of GETs after 5xx, timeouts and network failures. Default 3. */
  readonly readRetries?: number;
  /** First backoff for those retries, doubled each time. Default 1 s. */
  readonly readBackoffMs?: number;
  /** Client request timeout (the client defaults to 15 s, short for 500-person pages). Default 60 s. */
  readonly requestTimeoutMs?: number;
  /** Observes every attempt, e.g. to count 429s in execution statistics. */
  readonly onEvent?: (event: CtHttpEvent) => void;
}

export type CtHttpEvent =
  | { readonly type: 'request'; readonly method: string; readonly path: string }
  | { readonly type: 'rateLimited'; readonly method: string; readonly path: string; readonly waitMs: number }
  | { readonly type: 'retry'; readonly method: string; readonly path: string; readonly attempt: number; readonly error: CtHttpError };

export interface CtHttpStats {
  requests: number;
  rateLimited: number;
  retries: number;
}

/** `meta` of a paged list (reference ct-api §0.2). */
export const pageMetaSchema = z.looseObject({
  count: z.number().optional(),
  all: z.number().optional(),
  pagination: z
    .looseObject({
      current: z.number().optional(),
      lastPage: z.number().optional(),
      limit: z.number().optional(),
      total: z.number().optional(),
    })
    .optional(),
});
export type PageMeta = z.infer<typeof pageMetaSchema>;

const rawResponseSchema = z.looseObject({
  status: z.number(),
  data: z.unknown(),
});

export class CtHttp {
  readonly pacer: Pacer;
  readonly stats: CtHttpStats = { requests: 0, rateLimited: 0, retries: 0 };
  private readonly client: CtClient;
  private readonly options: CtHttpOptions;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(client: CtClient, options: CtHttpOptions = {}) {
    this.client = client;
    this.options = options;
    this.pacer = new Pacer(options);
    this.sleep = options.sleep ?? defaultSleep;
    client.setRequestTimeout?.(options.requestTimeoutMs ?? 60_000);
  }

  /** GET, unwrapped from `{data}` and validated. */
  async get<S extends z.ZodType>(path: string, schema: S, params: QueryParams = {}): Promise<z.output<S>> {
    const page = await this.getRaw(path, params);
    return this.validate('GET', path, schema, page.data);
  }

  /** GET of one page of a list: items validated one by one, `meta` kept. */
  async getPage<S extends z.ZodType>(
    path: string,
    itemSchema: S,
    params: QueryParams,
  ): Promise<{ items: z.output<S>[]; meta: PageMeta }> {
    const page = await this.getRaw(path, params);
    const items = this.validate('GET', path, z.array(itemSchema), page.data);
    const meta = page.meta === undefined ? {} : this.validate('GET', path, pageMetaSchema, page.meta);
    return { items, meta };
  }

  async post<S extends z.ZodType>(path: string, body: Record<string, unknown>, schema: S, query: QueryParams = {}): Promise<z.output<S>> {
    const uri = withQuery(path, query);
    const data = await this.send('POST', uri, () => this.client.post<unknown>(uri, body), false);
    return this.validate('POST', uri, schema, data);
  }

  async put<S extends z.ZodType>(path: string, body: Record<string, unknown>, schema: S, query: QueryParams = {}): Promise<z.output<S>> {
    const uri = withQuery(path, query);
    const data = await this.send('PUT', uri, () => this.client.put<unknown>(uri, body), false);
    return this.validate('PUT', uri, schema, data);
  }

  async patch<S extends z.ZodType>(path: string, body: Record<string, unknown>, schema: S): Promise<z.output<S>> {
    const data = await this.send('PATCH', path, () => this.client.patch<unknown>(path, body), false);
    return this.validate('PATCH', path, schema, data);
  }

  async delete(path: string, query: QueryParams = {}): Promise<void> {
    const uri = withQuery(path, query);
    await this.send('DELETE', uri, () => this.client.deleteApi<unknown>(uri), false);
  }

  /** The legacy AJAX API (`/?q=module`), paced like the rest. */
  async oldApi(module: string, func: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const oldApi = this.client.oldApi?.bind(this.client);
    if (!oldApi) throw new Error('This ChurchTools client has no legacy API access');
    return this.send('POST', `/?q=${module}#${func}`, () => oldApi(module, func, params), false);
  }

  private async getRaw(path: string, params: QueryParams): Promise<{ data: unknown; meta: unknown }> {
    const response = await this.send(
      'GET',
      path,
      async () => {
        // rawResponse keeps `meta`; callDeferred false skips the client's own serialisation
        // queue (the pacer already orders requests).
        const raw = rawResponseSchema.parse(
          await this.client.get<unknown>(path, params, { rawResponse: true, callDeferred: false }),
        );
        if (raw.status >= 400) {
          // With a cookie jar, axios can resolve error statuses (see the client's comments
          // on 401/429); treat them as the errors they are.
          throw toCtHttpError({ response: raw }, 'GET', path);
        }
        return raw.data;
      },
      true,
    );
    if (response !== null && typeof response === 'object' && 'data' in response) {
      return { data: response.data, meta: 'meta' in response ? response.meta : undefined };
    }
    return { data: response, meta: undefined };
  }

  private validate<S extends z.ZodType>(method: string, path: string, schema: S, data: unknown): z.output<S> {
    const parsed = schema.safeParse(data);
    if (parsed.success) return parsed.data;
    throw new CtHttpError({
      kind: 'invalidResponse',
      status: null,
      method,
      path,
      envelope: null,
      message: `${method} ${path}: unexpected response shape: ${z.prettifyError(parsed.error).slice(0, 500)}`,
    });
  }

  private async send<T>(method: string, path: string, exec: () => Promise<T>, idempotent: boolean): Promise<T> {
    const maxRateLimitRetries = this.options.maxRateLimitRetries ?? 5;
    const readRetries = this.options.readRetries ?? 3;
    let rateLimited = 0;
    let attempt = 0;
    let resent = false;
    for (;;) {
      try {
        return await this.pacer.run(() => {
          this.stats.requests++;
          this.options.onEvent?.({ type: 'request', method, path });
          return exec();
        });
      } catch (raw) {
        // A kept-alive connection the server closed while it was idle, reused before the close
        // was seen: the request never reached ChurchTools (Node's documented remedy is to send
        // it again). Not for a POST: the same reset could follow a create ChurchTools performed;
        // a PUT, PATCH or DELETE sets a state, and a second arrival changes nothing more.
        if (!resent && method !== 'POST' && staleConnection(raw)) {
          resent = true;
          continue;
        }
        const error = toCtHttpError(raw, method, path);
        if (error.status === 429 && rateLimited < maxRateLimitRetries) {
          // A 429 means the request was not processed, so even a POST may be repeated.
          rateLimited++;
          this.stats.rateLimited++;
          const waitMs = Math.min(
            error.retryAfterMs ?? this.options.rateLimitWaitMs ?? 60_000,
            this.options.maxRateLimitWaitMs ?? 300_000,
          );
          this.options.onEvent?.({ type: 'rateLimited', method, path, waitMs });
          this.pacer.rateLimited(waitMs);
          continue;
        }
        // Only reads are repeated after 5xx/timeouts: a write may have been applied already.
        if (idempotent && error.status !== 429 && error.retryable && attempt < readRetries) {
          attempt++;
          this.stats.retries++;
          this.options.onEvent?.({ type: 'retry', method, path, attempt, error });
          await this.sleep((this.options.readBackoffMs ?? 1000) * 2 ** (attempt - 1));
          continue;
        }
        throw error;
      }
    }
  }
}

/** A reset on a reused kept-alive connection (`request.reusedSocket`, Node only; axios hands out follow-redirects' wrapper). */
function staleConnection(raw: unknown): boolean {
  if (raw === null || typeof raw !== 'object') return false;
  const error = raw as { code?: unknown; cause?: { code?: unknown }; request?: { reusedSocket?: unknown; _currentRequest?: { reusedSocket?: unknown } } };
  const reused = error.request?.reusedSocket ?? error.request?._currentRequest?.reusedSocket;
  return reused === true && (error.code === 'ECONNRESET' || error.cause?.code === 'ECONNRESET');
}
