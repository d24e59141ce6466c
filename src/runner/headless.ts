/**
 * Node only: a JobRunner without a browser, for the CLI and the bridge's nightly runner. Logs in
 * to ChurchTools with a login token (cookie jar, re-login on 401 — see node-client.ts), reaches
 * the Optigem bridge with the connection's stored token (or a given one), and stores executions
 * and logs exactly as the extension does, so the UI shows headless runs too.
 */
import { z } from 'zod';
import { createChurchTools, type ChurchTools, type CtHttpOptions } from '../churchtools/index.ts';
import type { KvCategories } from '../churchtools/kv/categories.ts';
import { SecretRepository } from '../churchtools/kv/repositories.ts';
import type { ExtensionStorage } from '../churchtools/kv/storage.ts';
import { createNodeClient } from '../churchtools/node-client.ts';
import { BridgeClient, OptigemSystemPort } from '../optigem/index.ts';
import type { Clock } from '../sync/ports.ts';
import { JobRunner } from './job-runner.ts';

export interface HeadlessOptions {
  /** e.g. `https://gemeinde.church.tools`. */
  readonly churchToolsUrl: string;
  /** Login token of a ChurchTools user with rights on the Sync module's data. */
  readonly loginToken: string;
  /** What the run lock shows, e.g. "CLI" or "nightly"; the user's name is added. */
  readonly owner: string;
  /** Use this bridge token instead of the one stored in ChurchTools. */
  readonly bridgeToken?: string;
  /** Pacing of ChurchTools requests; the default suits a real instance. */
  readonly http?: CtHttpOptions;
  readonly clock?: Clock;
  /** Bridge request timeout; default 30 s per request. */
  readonly bridgeTimeoutMs?: number;
  /** Renew the run lock this often; default 60 s (see JobRunner). */
  readonly lockRenewMs?: number;
}

export interface Headless {
  readonly ct: ChurchTools;
  /** The storage the runner uses (with the given bridge token in place of the stored one). */
  readonly storage: ExtensionStorage;
  readonly runner: JobRunner;
  readonly user: { readonly id: number; readonly name: string };
  /** Ends the ChurchTools session (POST /logout); best effort, never throws. */
  logout(): Promise<void>;
}

/** Login to ChurchTools failed: wrong URL, wrong or expired token, or ChurchTools unreachable. */
export class LoginError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LoginError';
  }
}

const whoamiSchema = z.looseObject({ id: z.number(), firstName: z.string().nullish(), lastName: z.string().nullish() });

/** A SecretRepository that answers every connection with one given token (`--bridge-token`). */
class GivenTokenSecrets extends SecretRepository {
  constructor(
    categories: KvCategories,
    private readonly given: string,
  ) {
    super(categories);
  }

  override async token(): Promise<string | null> {
    return this.given;
  }
}

function describe(error: unknown): string {
  // axios errors carry the HTTP status; the client's own errors only a message.
  const status = (error as { response?: { status?: number } } | null)?.response?.status;
  const message = error instanceof Error ? error.message : String(error);
  return status ? `HTTP ${status}: ${message}` : message;
}

export async function connectHeadless(options: HeadlessOptions): Promise<Headless> {
  let url: URL;
  try {
    url = new URL(options.churchToolsUrl);
  } catch {
    throw new LoginError(`"${options.churchToolsUrl}" is not a URL; give the ChurchTools address like https://gemeinde.church.tools`);
  }
  const client = createNodeClient(url.href, options.loginToken);
  let user: z.output<typeof whoamiSchema>;
  try {
    // Log in up front: a wrong token then fails here with a clear message, not in the middle
    // of reading persons, and the client does not print its re-login warning on every start.
    // One request logs in and says who we are: `/whoami?login_token=…` is the client's own login
    // request (ct-api §3 [C]), whose answer loginWithToken() throws away — logging in with it and
    // asking /whoami again cost a second request per run. `only_allow_authenticated` makes a
    // refused token a 401 instead of the anonymous user [I: ChurchTools applies the login token
    // before it answers the request, as it must for the client's login to work].
    const params = { login_token: options.loginToken, no_url_rewrite: true, only_allow_authenticated: true, 'X-retry-login': true };
    user = whoamiSchema.parse(await client.get('/whoami', params, { callDeferred: false }));
  } catch (error) {
    throw new LoginError(`Cannot log in to ChurchTools at ${url.origin} with the login token (${describe(error)}).`, { cause: error });
  }
  const name = [user.firstName, user.lastName].filter(Boolean).join(' ') || `person ${user.id}`;
  const clock = options.clock;
  const ct = createChurchTools(client, {
    ...(options.http ? { http: options.http } : {}),
    storage: { author: `${options.owner} (${name})`, ...(clock ? { now: () => clock.now() } : {}) },
  });
  const storage: ExtensionStorage =
    options.bridgeToken === undefined ? ct.storage : { ...ct.storage, secrets: new GivenTokenSecrets(ct.storage.categories, options.bridgeToken) };
  const runner = new JobRunner({
    churchtools: { port: ct.persons, storage },
    optigemPort: (connection, token) =>
      new OptigemSystemPort(new BridgeClient({ baseUrl: connection.bridgeUrl, token, ...(options.bridgeTimeoutMs ? { timeoutMs: options.bridgeTimeoutMs } : {}) })),
    owner: `${options.owner} (${name})`,
    ...(clock ? { clock } : {}),
    ...(options.lockRenewMs ? { lockRenewMs: options.lockRenewMs } : {}),
  });
  const logout = async (): Promise<void> => {
    try {
      await client.post('/logout');
    } catch {
      // The session ends by itself on ChurchTools' side; nothing to do for a failed logout.
    }
  };
  return { ct, storage, runner, user: { id: user.id, name }, logout };
}
