/**
 * Sessions and login the way ChurchTools does them (reference ct-api.md §3.2): a session cookie from
 * `POST /login` or `/whoami?login_token=…`, or `Authorization: Login <token>` per request.
 */
import { randomBytes, createHash } from 'node:crypto';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import type { Context } from 'hono';
import { findUserByToken, type StandInState, type UserAccount } from './state.ts';

/** ChurchTools names its cookie `ChurchTools_ct_<instance>`. */
export const SESSION_COOKIE = 'ChurchTools_ct_standin';

export function createSession(state: StandInState, c: Context, personId: number): string {
  const id = randomBytes(24).toString('hex');
  state.sessions.set(id, personId);
  setCookie(c, SESSION_COOKIE, id, { path: '/', httpOnly: true, sameSite: 'Lax' });
  return id;
}

export function endSession(state: StandInState, c: Context): void {
  const id = getCookie(c, SESSION_COOKIE);
  if (id) state.sessions.delete(id);
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}

export function csrfTokenFor(sessionOrToken: string): string {
  return createHash('sha256').update(`csrf:${sessionOrToken}`).digest('hex').slice(0, 40);
}

export interface Resolved {
  user: UserAccount | null;
  sessionId: string | null;
  /** A login token was sent but is unknown: ChurchTools rejects the request instead of going anonymous. */
  badToken: boolean;
  /** Where the identity came from, so /whoami knows whether to open a session. */
  via: 'session' | 'header' | 'query' | 'none';
}

/** The session cookie wins; a token is "used when no valid session cookie is sent" (reference §3.2). */
export function resolveUser(state: StandInState, c: Context): Resolved {
  const sessionId = getCookie(c, SESSION_COOKIE) ?? null;
  if (sessionId) {
    const personId = state.sessions.get(sessionId);
    const user = personId === undefined ? undefined : state.users.get(personId);
    if (user) return { user, sessionId, badToken: false, via: 'session' };
  }
  const header = c.req.header('Authorization');
  const match = header ? /^Login\s+(\S+)$/i.exec(header) : null;
  if (match?.[1]) {
    const user = findUserByToken(state, match[1]);
    return user ? { user, sessionId: null, badToken: false, via: 'header' } : { user: null, sessionId: null, badToken: true, via: 'none' };
  }
  const queryToken = new URL(c.req.url).searchParams.get('login_token');
  if (queryToken) {
    const user = findUserByToken(state, queryToken);
    return user ? { user, sessionId: null, badToken: false, via: 'query' } : { user: null, sessionId: null, badToken: true, via: 'none' };
  }
  return { user: null, sessionId: null, badToken: false, via: 'none' };
}
