/** The real client over real HTTP against the stand-in, with a pacer fast enough for tests. */
import { startStandIn, type StandIn, type StandInOptions } from '../../dev/standin/server.ts';
import { createChurchTools, type ChurchTools, type ChurchToolsOptions } from '../../src/churchtools/index.ts';
import { createNodeClient } from '../../src/churchtools/node-client.ts';

export const FAST_HTTP = {
  requestsPerMinute: 60_000,
  burst: 100,
  concurrency: 3,
  rateLimitWaitMs: 20,
  readBackoffMs: 5,
  requestTimeoutMs: 10_000,
} as const;

export interface Harness {
  standIn: StandIn;
  ct: ChurchTools;
  /** Another browser: its own session, pacer and caches. */
  second(options?: ChurchToolsOptions): Promise<ChurchTools>;
  /** Requests since the last reset, as "METHOD /path" (without the login handshake). */
  requests(): string[];
  close(): Promise<void>;
}

export async function harness(standInOptions: StandInOptions = {}, options: ChurchToolsOptions = {}): Promise<Harness> {
  const standIn = await startStandIn(standInOptions);
  const make = async (o: ChurchToolsOptions = options): Promise<ChurchTools> => {
    const client = createNodeClient(standIn.url, standIn.admin.loginToken);
    // Log in up front (the token would also work, via a 401 and a re-login) so request counts
    // below are not skewed by the handshake.
    await client.post('/login', { username: standIn.admin.username, password: standIn.admin.password });
    return createChurchTools(client, { ...o, http: { ...FAST_HTTP, ...o.http } });
  };
  const ct = await make();
  standIn.resetRequests();
  return {
    standIn,
    ct,
    second: (o) => make(o),
    requests: () => standIn.requests.map((r) => `${r.method} ${r.path}`),
    close: () => standIn.close(),
  };
}
