/**
 * Shared helpers for the stand-in tests: a real @churchtools/churchtools-client wired for Node (cookie
 * jar), and plain fetch for exact status codes.
 */
import { ChurchToolsClient } from '@churchtools/churchtools-client';
import { useKeptAliveSession } from '../../src/churchtools/node-client.ts';
import type { StandIn } from '../../dev/standin/server.ts';

/** A client that keeps cookies like a browser; with a token it re-logs in via /whoami?login_token=…. */
export function nodeClient(url: string, loginToken?: string): ChurchToolsClient {
  const client = new ChurchToolsClient(url, loginToken);
  useKeptAliveSession(client);
  // Short timeouts keep failing tests fast; the stand-in answers in milliseconds.
  client.setRequestTimeout(5_000);
  return client;
}

export async function adminClient(standIn: StandIn): Promise<ChurchToolsClient> {
  const client = nodeClient(standIn.url);
  await client.post('/login', { username: standIn.admin.username, password: standIn.admin.password });
  return client;
}

export interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
}

/** Calls the API with the admin's login token header unless `auth: false`. */
export async function call(standIn: StandIn, method: string, path: string, options: { body?: unknown; auth?: boolean | string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.auth !== false) headers.Authorization = `Login ${typeof options.auth === 'string' ? options.auth : standIn.admin.loginToken}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${standIn.url}/api${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    // Non-JSON bodies are returned as text.
  }
  return { status: res.status, body, headers: res.headers };
}

/** The `status`/`response.data` of an axios error thrown by the client. */
export async function clientError(promise: Promise<unknown>): Promise<{ status: number; data: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    const response = (error as { response?: { status: number; data: Record<string, unknown> } }).response;
    if (response) return { status: response.status, data: response.data };
    throw error;
  }
  throw new Error('expected the request to fail');
}
