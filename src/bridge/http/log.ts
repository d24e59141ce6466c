/**
 * Structured logs: one JSON object per line. Never pass tokens or personal data in `fields`;
 * requests are logged by method, path (ids only), status and token id.
 */
import type { MiddlewareHandler } from 'hono';
import type { AuthEnv } from './auth.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null>;

export interface Logger {
  log(level: LogLevel, message: string, fields?: LogFields): void;
}

export function jsonLogger(write: (line: string) => void = (line) => process.stdout.write(line)): Logger {
  return {
    log(level, message, fields = {}) {
      write(`${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields })}\n`);
    },
  };
}

export const silentLogger: Logger = { log: () => undefined };

/**
 * Masks path segments that look like a secret: a bridge token (`ogb_…`), or any long run of
 * base64url/hex characters that no record id of the API has (ids are numbers, years and short keys).
 */
export function redactPath(path: string): string {
  return path
    .split('/')
    .map((segment) => (/^ogb_/i.test(segment) || /^[A-Za-z0-9_%-]{24,}$/.test(segment) ? '[redacted]' : segment))
    .join('/');
}

export function requestLog(logger: Logger): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    logger.log(c.res.status >= 500 ? 'error' : 'info', 'request', {
      method: c.req.method,
      // The path holds at most record ids; the query string is left out on purpose, and
      // anything token-shaped that a client pasted into the path is masked.
      path: redactPath(c.req.path),
      status: c.res.status,
      ms: Math.round(performance.now() - started),
      token: c.get('actor')?.tokenId ?? null,
    });
  };
}
