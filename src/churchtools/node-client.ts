/**
 * Node only (tests, CLI): a ChurchToolsClient that keeps its session in a cookie jar and logs
 * in with a login token whenever ChurchTools answers 401. Browser code never imports this: in
 * the extension the user's own session cookie does the job.
 */
import { createRequire } from 'node:module';
import type * as ClientModule from '@churchtools/churchtools-client';
import type { AxiosInstance } from 'axios';
import { HttpCookieAgent, HttpsCookieAgent } from 'http-cookie-agent/http';
import { CookieJar } from 'tough-cookie';

// The package is a webpack UMD bundle: Node's ESM loader cannot see its named exports
// (`import { ChurchToolsClient }` fails outside bundlers and vitest), so load it as CommonJS.
const { ChurchToolsClient } = createRequire(import.meta.url)('@churchtools/churchtools-client') as typeof ClientModule;

export type NodeChurchToolsClient = InstanceType<typeof ClientModule.ChurchToolsClient>;

export interface NodeClientOptions {
  /** The person the token belongs to (sent as user_id on token login); optional. */
  readonly personId?: number;
}

export function createNodeClient(url: string, loginToken: string, options: NodeClientOptions = {}): NodeChurchToolsClient {
  // The token also makes the client send X-OnlyAuthenticated, so a lost session is a 401
  // (and a re-login) instead of an anonymous 200 with empty lists.
  const client = new ChurchToolsClient(url.replace(/\/+$/, ''), loginToken);
  if (options.personId !== undefined) client.setUnauthorizedInterceptor(loginToken, options.personId);
  useKeptAliveSession(client);
  unrefRequestTimers(client);
  return client;
}

/** Cookies like a browser, over one kept-alive connection pool for the client's lifetime. */
export function useKeptAliveSession(client: Pick<NodeChurchToolsClient, 'setCookieJar'>): void {
  const jar = new CookieJar();
  client.setCookieJar(keepAliveCookies(jar), jar);
}

/**
 * One kept-alive agent per client that also carries the session cookie. axios-cookiejar-support
 * builds a new agent for every request, i.e. a new TCP (and against a real ChurchTools, TLS)
 * connection per call; over a first sync of tens of thousands of requests that handshake cost
 * dominates. Idle sockets are unref'd by Node's agent, so a finished CLI run still exits.
 */
function keepAliveCookies(jar: CookieJar): (axios: AxiosInstance) => AxiosInstance {
  return (axios) => {
    // The client closes a connection idle for 4 s itself, before the server's keep-alive ends
    // (5 s in Node's and Apache's defaults [I: ChurchTools' front server is not documented]):
    // otherwise a request may go out on a connection the server is just closing, and a POST
    // that fails that way is not sent again (ct-http.ts).
    const agentOptions = { cookies: { jar }, keepAlive: true, timeout: 4_000 };
    axios.defaults.httpAgent = new HttpCookieAgent(agentOptions);
    axios.defaults.httpsAgent = new HttpsCookieAgent(agentOptions);
    return axios;
  };
}

/**
 * The client arms a timeout per request (`getAbortSignal`) and never clears it, so a finished
 * CLI run would linger for the timeout (up to 60 s) before Node exits. Same behaviour, but the
 * timer no longer keeps the process alive.
 */
function unrefRequestTimers(client: NodeChurchToolsClient): void {
  const patched = client as unknown as {
    requestTimeout: number;
    getAbortSignal: (controller?: AbortController, timeout?: number) => AbortSignal;
  };
  if (typeof patched.getAbortSignal !== 'function') return;
  patched.getAbortSignal = (controller = new AbortController(), timeout) => {
    setTimeout(() => controller.abort(), timeout ?? patched.requestTimeout).unref();
    return controller.signal;
  };
}
