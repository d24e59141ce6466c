/**
 * The local ChurchTools stand-in: a small stateful HTTP server that answers the subset of the real
 * ChurchTools REST API this project uses, with the same paths, envelopes, pagination, errors and status
 * codes (reference/ct-api.md), plus ChurchTools' page at /ccm/<key>/ with the built extension injected.
 *
 * Facts marked [I] in the reference are implemented as inferred there and say so where they are coded.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { Hono, type Context, type Next } from 'hono';
import { createSession, resolveUser } from './auth.ts';
import { ApiError, envelope, type AppEnv } from './http.ts';
import { legacyAjax } from './legacy.ts';
import { customModulesRoutes } from './routes/custommodules.ts';
import { financeRoutes } from './routes/finance.ts';
import { personsRoutes } from './routes/persons.ts';
import { sessionRoutes } from './routes/session.ts';
import { createState, type StandInState } from './state.ts';
import { DEMO_ADMIN } from '../../src/bridge/demo/parish.ts';
import { webRoutes } from './web.ts';

export interface StandInOptions {
  /** Default 0 = a free port; the server always binds 127.0.0.1. */
  port?: number;
  /** Default 'demo' (the parish of src/bridge/demo/parish.ts); 'empty' keeps master data, admin, module, chart of accounts. */
  data?: 'demo' | 'empty';
  /** Default 500; a larger `limit` → 400 "Die Nummer kann maximal 500 sein." [I: status 400]. */
  maxPageSize?: number;
  /** Optional limit → 429 (no Retry-After) beyond it, counted over a sliding minute. */
  requestsPerMinute?: number;
  /** Folder of a built extension (dist/) to serve under /ccm/optigem-sync/. */
  extensionDist?: string;
}

export interface RecordedRequest {
  method: string;
  /** Path below /api, e.g. '/persons/12'. Legacy `oldApi()` calls are recorded as '/' with query 'q=…'. */
  path: string;
  /** Decoded query string without '?', e.g. 'page=1&limit=500&ids[]=3'. */
  query: string;
  status: number;
}

export interface FailMatcher {
  method?: string;
  /** Prefix of the path below /api ('/persons'); a leading '/api' is ignored. */
  pathPrefix?: string;
  /** 1-based: the first matching request to fail (default 1). */
  nth?: number;
  /** How many matching requests fail from `nth` on (default 1 with `nth`, otherwise every one). */
  times?: number;
}

export interface StandIn {
  /** e.g. http://127.0.0.1:PORT (API under url + '/api'). */
  url: string;
  admin: { username: string; password: string; loginToken: string; personId: number };
  /** Every API request, in order (for request-count assertions). */
  requests: RecordedRequest[];
  resetRequests(): void;
  /** TCP connections accepted so far (a kept-alive client opens few). */
  connectionsOpened(): number;
  faults: {
    /** e.g. fail the 3rd GET /persons page with 500. */
    failRequests(matcher: FailMatcher, status?: number): void;
    /** Answer 429 for this share of requests, deterministically (share 0.25 → every 4th). */
    rateLimitShare(share: number): void;
    /** Delay every API response by `ms`. */
    delay(ms: number): void;
    /**
     * Runs `change` on the live state right before the matching request is answered, e.g. a
     * delete and an insert between two pages of a list (what another user may do meanwhile).
     */
    beforeRequest(matcher: FailMatcher, change: (state: StandInState) => void): void;
    /**
     * Answers the matching list request with 200 but leaves out `count` items of its `data`
     * (the last ones), keeping `meta` as it was: a page that came back short.
     */
    dropItems(matcher: FailMatcher, count: number): void;
    /**
     * A starting gate: matching requests wait until `count` of them are waiting (or `timeoutMs`
     * passed), then all go on at once — for "started together" races between clients.
     */
    hold(matcher: FailMatcher, count: number, timeoutMs?: number): void;
    clear(): void;
  };
  /** The live in-memory data, for direct assertions/setup in tests. */
  state: StandInState;
  /** Closes the server and all sockets; leaves no handles. */
  close(): Promise<void>;
}

interface Gate {
  readonly matcher: FailMatcher;
  readonly count: number;
  readonly waiting: (() => void)[];
  open: boolean;
  release(): void;
}

function matches(m: FailMatcher, method: string, path: string): boolean {
  const prefix = m.pathPrefix === undefined ? undefined : m.pathPrefix.startsWith('/api/') ? m.pathPrefix.slice(4) : m.pathPrefix;
  if (m.method !== undefined && m.method.toUpperCase() !== method) return false;
  return prefix === undefined || path.startsWith(prefix);
}

interface ActiveFailure {
  matcher: FailMatcher;
  status: number;
  seen: number;
}

interface ActiveHook {
  matcher: FailMatcher;
  seen: number;
  change?: (state: StandInState) => void;
  drop?: number;
}

/** Whether the `seen`-th matching request is one the matcher means (nth, times). */
function inWindow(m: FailMatcher, seen: number): boolean {
  const first = m.nth ?? 1;
  const times = m.times ?? (m.nth !== undefined ? 1 : Number.POSITIVE_INFINITY);
  return seen >= first && seen < first + times;
}

function decodeQuery(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

function apiPath(path: string): string {
  return path === '/api' ? '/' : path.slice('/api'.length);
}

/** Paths that answer without a login (ChurchTools lets anyone log in or ask who they are). */
function isPublic(method: string, path: string): boolean {
  return (method === 'POST' && (path === '/login' || path === '/logout')) || (method === 'GET' && (path === '/whoami' || path === '/info'));
}

/**
 * [I] What an anonymous caller (no session, no X-OnlyAuthenticated) sees: lists answer empty (infoscreen
 * G20: "most lists return 200 and empty"), everything else 401.
 */
function anonymousAnswer(c: Context, method: string, path: string): Response | undefined {
  if (method !== 'GET') return undefined;
  const emptyPage = { data: [], meta: { count: 0, all: 0, pagination: { current: 1, lastPage: 1, limit: 10, total: 0 } } };
  if (path === '/persons' || path === '/groups') return c.json(emptyPage);
  if (path === '/custommodules') return c.json({ data: [] });
  if (path === '/permissions/global') return c.json({ data: {} });
  return undefined;
}

export async function startStandIn(options: StandInOptions = {}): Promise<StandIn> {
  const state = createState(options.data ?? 'demo');
  const maxPageSize = options.maxPageSize ?? 500;
  const requests: RecordedRequest[] = [];
  let failures: ActiveFailure[] = [];
  let hooks: ActiveHook[] = [];
  let rateShare = 0;
  let rateAcc = 0;
  let delayMs = 0;
  const windowStarts: number[] = [];
  const pendingDelays = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  let gates: Gate[] = [];

  const app = new Hono<AppEnv>();

  app.onError((err, c) => {
    if (err instanceof ApiError) return c.json(err.body, err.status);
    // An unexpected exception is a stand-in bug: answer like CT's 500 and keep the stack visible in logs.
    console.error('[standin] unhandled error', err);
    return c.json(envelope(err instanceof Error ? err.message : String(err), 'internal.server.error', 'Interner Serverfehler'), 500);
  });

  /** Recording, delay, rate limits and injected faults apply to every API call, in that order. */
  const apiGate = async (c: Context<AppEnv>, next: Next, path: string): Promise<Response | void> => {
    const url = new URL(c.req.url);
    const record: RecordedRequest = { method: c.req.method, path, query: decodeQuery(url.search.replace(/^\?/, '')), status: 0 };
    requests.push(record);
    try {
      if (delayMs > 0) {
        await new Promise<void>((resolve) => {
          const entry = { timer: setTimeout(() => { pendingDelays.delete(entry); resolve(); }, delayMs), resolve };
          pendingDelays.add(entry);
        });
      }
      const tooMany = () => c.json(envelope('Too Many Requests', 'too.many.requests', 'Zu viele Anfragen. Bitte warte einen Moment.'), 429);
      if (options.requestsPerMinute !== undefined) {
        const now = Date.now();
        while (windowStarts.length > 0 && (windowStarts[0] ?? 0) <= now - 60_000) windowStarts.shift();
        // CT sends no Retry-After and no X-RateLimit-* headers (ct-extension.md §0 item 10).
        if (windowStarts.length >= options.requestsPerMinute) return (c.res = tooMany());
        windowStarts.push(now);
      }
      if (rateShare > 0) {
        rateAcc += rateShare;
        if (rateAcc >= 1 - 1e-9) {
          rateAcc -= 1;
          return (c.res = tooMany());
        }
      }
      for (const gate of gates) {
        if (gate.open || !matches(gate.matcher, c.req.method, path)) continue;
        await new Promise<void>((resolve) => {
          gate.waiting.push(resolve);
          if (gate.waiting.length >= gate.count) gate.release();
        });
      }
      for (const f of failures) {
        if (!matches(f.matcher, c.req.method, path)) continue;
        f.seen++;
        if (inWindow(f.matcher, f.seen)) {
          return (c.res = c.json(envelope(`Injected failure (HTTP ${f.status})`, 'standin.injected.failure', 'Simulierter Fehler'), f.status as 500));
        }
      }
      let drop = 0;
      for (const hook of hooks) {
        if (!matches(hook.matcher, c.req.method, path)) continue;
        hook.seen++;
        if (!inWindow(hook.matcher, hook.seen)) continue;
        hook.change?.(state);
        drop += hook.drop ?? 0;
      }
      await next();
      if (drop > 0 && c.res.status === 200) {
        const body = (await c.res.json()) as { data?: unknown[] };
        if (Array.isArray(body.data)) body.data = body.data.slice(0, Math.max(0, body.data.length - drop));
        c.res = c.json(body, 200);
      }
    } finally {
      record.status = c.res.status;
    }
  };

  /**
   * [I] CORS for the extension's Vite dev server (ct-extension.md §2.3: CT needs the dev origin in its
   * CORS settings). The stand-in allows loopback origins only, with credentials, like such a setting.
   */
  app.use('/api/*', async (c, next) => {
    const origin = c.req.header('Origin');
    const allowed = origin !== undefined && /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(origin);
    if (allowed) {
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Access-Control-Allow-Credentials', 'true');
      c.header('Vary', 'Origin');
    }
    if (c.req.method === 'OPTIONS' && c.req.header('Access-Control-Request-Method')) {
      // Preflights are answered before recording: they are not API calls of the client code.
      if (!allowed) return c.body(null, 403);
      c.header('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
      c.header('Access-Control-Allow-Headers', c.req.header('Access-Control-Request-Headers') ?? 'Content-Type, Authorization, X-OnlyAuthenticated, CSRF-Token');
      c.header('Access-Control-Max-Age', '600');
      return c.body(null, 204);
    }
    await next();
  });

  app.use('/api/*', async (c, next) => {
    const path = apiPath(c.req.path);
    return apiGate(c, async () => {
      const r = resolveUser(state, c);
      c.set('user', r.user);
      c.set('perms', r.user ? (state.permissions.get(r.user.personId) ?? null) : null);
      c.set('sessionId', r.sessionId);
      const method = c.req.method;
      if (r.badToken) {
        c.res = c.json({ message: 'Session expired!' }, 401);
        return;
      }
      if (!r.user && !isPublic(method, path)) {
        const onlyAuthenticated = c.req.header('X-OnlyAuthenticated') === '1';
        const anonymous = onlyAuthenticated ? undefined : anonymousAnswer(c, method, path);
        c.res = anonymous ?? c.json({ message: 'Session expired!' }, 401);
        return;
      }
      // The JS client's token re-login: `/whoami?login_token=…` opens a session (with_session is implied).
      if (r.user && r.via === 'query' && path === '/whoami') c.set('sessionId', createSession(state, c, r.user.personId));
      await next();
    }, path);
  });

  const api = new Hono<AppEnv>();
  api.route('/', sessionRoutes({ state }));
  api.route('/', personsRoutes({ state, maxPageSize }));
  api.route('/', financeRoutes({ state, maxPageSize }));
  api.route('/', customModulesRoutes({ state }));
  api.all('*', (c) => c.json(envelope(`No route found for "${c.req.method} ${c.req.path}"`, 'not.found', 'Die angeforderte Seite existiert nicht.'), 404));
  app.route('/api', api);

  // Legacy AJAX API used by churchtoolsClient.oldApi(): POST {base}/?q=churchdb/ajax.
  app.post('/', async (c) => {
    await apiGate(c, async () => {
      c.res = await legacyAjax(c, state);
    }, '/');
    return c.res;
  });

  app.route('/', webRoutes({ state, extensionDist: options.extensionDist }));
  app.notFound((c) => c.text('Not Found', 404));

  const server = createAdaptorServer({ fetch: app.fetch, overrideGlobalObjects: false }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let connections = 0;
  server.on('connection', () => {
    connections++;
  });

  return {
    url: `http://127.0.0.1:${port}`,
    admin: { username: DEMO_ADMIN.username, password: DEMO_ADMIN.password, loginToken: DEMO_ADMIN.loginToken, personId: DEMO_ADMIN.id },
    requests,
    resetRequests: () => {
      requests.length = 0;
    },
    connectionsOpened: () => connections,
    faults: {
      failRequests: (matcher, status = 500) => {
        failures.push({ matcher: { ...matcher }, status, seen: 0 });
      },
      rateLimitShare: (share) => {
        rateShare = Math.min(1, Math.max(0, share));
        rateAcc = 0;
      },
      delay: (ms) => {
        delayMs = Math.max(0, ms);
      },
      beforeRequest: (matcher, change) => {
        hooks.push({ matcher: { ...matcher }, seen: 0, change });
      },
      dropItems: (matcher, count) => {
        hooks.push({ matcher: { ...matcher }, seen: 0, drop: count });
      },
      hold: (matcher, count, timeoutMs = 30_000) => {
        const gate: Gate = {
          matcher: { ...matcher },
          count,
          waiting: [],
          open: false,
          release() {
            if (gate.open) return;
            gate.open = true;
            clearTimeout(timer);
            for (const resolve of gate.waiting.splice(0)) resolve();
          },
        };
        const timer = setTimeout(() => gate.release(), timeoutMs);
        gates.push(gate);
      },
      clear: () => {
        for (const gate of gates) gate.release();
        gates = [];
        failures = [];
        hooks = [];
        rateShare = 0;
        rateAcc = 0;
        delayMs = 0;
      },
    },
    state,
    close: async () => {
      for (const gate of gates) gate.release();
      for (const d of pendingDelays) {
        clearTimeout(d.timer);
        d.resolve();
      }
      pendingDelays.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
