/**
 * Records every HTTP exchange of a real @churchtools/churchtools-client — what the product's
 * adapters send and what the stand-in answers — and checks each one against the published API
 * (published-api.ts). Recording sits on the client's own axios instance, below everything we own.
 */
import type { AxiosError, AxiosInstance, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { z } from 'zod';
import type { NodeChurchToolsClient } from '../../src/churchtools/node-client.ts';
import { endpointFor, errorEnvelope } from './published-api.ts';

export interface Exchange {
  readonly method: string;
  /** Path below /api; '/' plus `legacy` for the AJAX API. */
  readonly path: string;
  readonly legacy: boolean;
  /** Query as PHP reads it: `name[]=1&name[]=2` → `{ name: ['1', '2'] }`. */
  readonly query: Record<string, string | string[]>;
  readonly requestBody: unknown;
  readonly status: number;
  readonly responseBody: unknown;
}

function phpQuery(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [rawKey, value] of params) {
    const array = /^(.+?)\[\d*\]$/.exec(rawKey);
    if (array) {
      const key = array[1]!;
      const current = out[key];
      out[key] = Array.isArray(current) ? [...current, value] : [value];
    } else out[rawKey] = value;
  }
  return out;
}

function parseJson(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  if (data === '') return undefined;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}

function toExchange(ax: AxiosInstance, config: InternalAxiosRequestConfig, status: number, body: unknown): Exchange {
  const url = new URL(ax.getUri(config));
  const legacy = !url.pathname.startsWith('/api/') && url.pathname !== '/api';
  return {
    method: (config.method ?? 'get').toUpperCase(),
    path: legacy ? url.pathname : url.pathname.slice('/api'.length) || '/',
    legacy,
    query: phpQuery(url.searchParams),
    requestBody: parseJson(config.data),
    status,
    responseBody: parseJson(body),
  };
}

/** Starts recording on `client`; the returned list fills as requests complete. */
export function record(client: NodeChurchToolsClient): Exchange[] {
  // The client keeps its axios instance private; the recorder is test code that watches the wire.
  const ax = (client as unknown as { ax: AxiosInstance }).ax;
  const exchanges: Exchange[] = [];
  ax.interceptors.response.use(
    (response: AxiosResponse) => {
      exchanges.push(toExchange(ax, response.config, response.status, response.data));
      return response;
    },
    (error: AxiosError) => {
      if (error.response && error.config) exchanges.push(toExchange(ax, error.config, error.response.status, error.response.data));
      return Promise.reject(error);
    },
  );
  return exchanges;
}

function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).slice(0, 8).join('; ');
}

/** What is wrong with one exchange, measured against the published API; empty when nothing. */
export function contractProblems(exchange: Exchange): string[] {
  const name = `${exchange.method} ${exchange.path}`;
  if (exchange.legacy) return [];
  const endpoint = endpointFor(exchange.method, exchange.path);
  if (!endpoint) return [`${name}: not an endpoint of the published API`];
  const problems: string[] = [];
  if (endpoint.query) {
    const q = endpoint.query.safeParse(exchange.query);
    if (!q.success) problems.push(`${name}: request query ${JSON.stringify(exchange.query)} — ${issues(q.error)}`);
  }
  if (endpoint.body) {
    const b = endpoint.body.safeParse(exchange.requestBody);
    if (!b.success) problems.push(`${name}: request body — ${issues(b.error)}`);
  } else if (exchange.requestBody !== undefined && !(typeof exchange.requestBody === 'object' && exchange.requestBody !== null && Object.keys(exchange.requestBody).length === 0)) {
    problems.push(`${name}: sends a body, the published endpoint takes none`);
  }
  if (exchange.status >= 400) {
    const e = errorEnvelope.safeParse(exchange.responseBody);
    if (!e.success) problems.push(`${name}: ${exchange.status} error body — ${issues(e.error)}`);
    return problems;
  }
  const schema = endpoint.responses[exchange.status];
  if (!schema) {
    problems.push(`${name}: status ${exchange.status} is not published (published: ${Object.keys(endpoint.responses).join(', ')})`);
    return problems;
  }
  const r = schema.safeParse(exchange.responseBody);
  if (!r.success) problems.push(`${name}: ${exchange.status} response — ${issues(r.error)}`);
  return problems;
}
