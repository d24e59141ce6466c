/**
 * CORS with an exact allowlist of ChurchTools origins (never `*`: requests carry a bearer token),
 * plus the Private Network Access preflight header older Chromium builds still send. A request
 * from any other origin gets no CORS headers at all, so the browser will not hand it the answer.
 */
import type { MiddlewareHandler } from 'hono';

const ALLOW_METHODS = 'GET, POST, PATCH, DELETE, OPTIONS';
const ALLOW_HEADERS = 'Authorization, Content-Type, If-Match, Idempotency-Key';
const EXPOSE_HEADERS = 'ETag, Last-Modified, Idempotent-Replayed';
const MAX_AGE_SECONDS = '600';

/** `https://Gemeinde.Church.Tools/` → `https://gemeinde.church.tools`; invalid → null. */
export function normaliseOrigin(origin: string): string | null {
  try {
    const url = new URL(origin);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    return url.origin;
  } catch {
    return null;
  }
}

export function cors(allowedOrigins: readonly string[]): MiddlewareHandler {
  const allowed = new Set(allowedOrigins.map((o) => normaliseOrigin(o)).filter((o): o is string => o !== null));
  return async (c, next) => {
    const origin = c.req.header('Origin');
    const isAllowed = origin !== undefined && allowed.has(normaliseOrigin(origin) ?? '');
    const isPreflight = c.req.method === 'OPTIONS' && c.req.header('Access-Control-Request-Method') !== undefined;
    if (isPreflight) {
      c.header('Vary', 'Origin');
      if (!isAllowed) return c.body(null, 204);
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Access-Control-Allow-Methods', ALLOW_METHODS);
      c.header('Access-Control-Allow-Headers', ALLOW_HEADERS);
      c.header('Access-Control-Max-Age', MAX_AGE_SECONDS);
      if (c.req.header('Access-Control-Request-Private-Network') === 'true') {
        c.header('Access-Control-Allow-Private-Network', 'true');
      }
      return c.body(null, 204);
    }
    // Set before the answer exists, so every answer (errors too) is made with them: a header set
    // on a finished answer makes Hono copy the response, body stream and all (a page of 500
    // persons is ~300 KB).
    c.header('Vary', 'Origin', { append: true });
    if (isAllowed) {
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Access-Control-Expose-Headers', EXPOSE_HEADERS);
    }
    await next();
  };
}
