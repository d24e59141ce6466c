/** The bridge's HTTP application: middleware, routes, errors. No sockets here (see server.ts). */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Context } from 'hono';
import type { ErrorBody } from '../optigem/schemas.ts';
import { ApiError } from './errors.ts';
import type { AuthEnv } from './http/auth.ts';
import { cors } from './http/cors.ts';
import { requestLog } from './http/log.ts';
import type { Logger } from './http/log.ts';
import { buildOpenApi } from './http/openapi.ts';
import { registerRoutes } from './http/route.ts';
import type { ResponseCheck, Route } from './http/route.ts';
import { financeRoutes } from './routes/finance.ts';
import { nightlyRoutes, type NightlyControl } from './routes/nightly.ts';
import { personRoutes } from './routes/persons.ts';
import { systemRoutes } from './routes/system.ts';
import type { Services } from './service/index.ts';
import type { TokenRepository } from './state/tokens.ts';

export interface AppOptions {
  services: Services;
  tokens: TokenRepository;
  allowedOrigins: readonly string[];
  maxBodyBytes: number;
  logger: Logger;
  /** The nightly runner, when nightly runs are enabled (a getter: it starts after the app). */
  nightly?: () => NightlyControl | undefined;
  /** How much of each page to check against its schema (default `sample`, see ResponseCheck). */
  responseCheck?: ResponseCheck;
}

function errorResponse(c: Context, error: ApiError): Response {
  const body: ErrorBody = { error: { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) } };
  if (error.status === 401) c.header('WWW-Authenticate', 'Bearer realm="optigem-bridge"');
  return c.json(body, error.status);
}

export function createApp(options: AppOptions): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const routes: Route[] = [];
  let openApi: Record<string, unknown> | undefined;
  routes.push(
    ...systemRoutes(options.services, () => (openApi ??= buildOpenApi(routes))),
    ...personRoutes(options.services),
    ...financeRoutes(options.services),
    ...nightlyRoutes(options.nightly ?? (() => undefined)),
  );

  app.use('*', requestLog(options.logger));
  app.use('*', cors(options.allowedOrigins));
  app.use('*', async (c, next) => {
    c.set('tokens', options.tokens);
    c.set('actor', undefined);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Cache-Control', 'no-store');
    await next();
  });
  app.use(
    '*',
    bodyLimit({
      maxSize: options.maxBodyBytes,
      onError: (c) => errorResponse(c, new ApiError(413, 'payloadTooLarge', `The request body is larger than ${options.maxBodyBytes} bytes.`)),
    }),
  );
  registerRoutes(app, routes, options.responseCheck ?? 'sample');

  app.notFound((c) => errorResponse(c, new ApiError(404, 'notFound', `No endpoint ${c.req.method} ${c.req.path}. See /v1/openapi.json.`)));
  app.onError((error, c) => {
    if (error instanceof ApiError) return errorResponse(c, error);
    // Only the error's name and message: stack traces and values could carry personal data.
    options.logger.log('error', 'unhandled error', { method: c.req.method, path: c.req.path, error: `${error.name}: ${error.message}` });
    return errorResponse(c, new ApiError(500, 'internal', 'The bridge failed to answer; see its log.'));
  });
  return app;
}
