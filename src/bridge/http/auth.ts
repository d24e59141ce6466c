/**
 * Bearer-token authorisation: any valid token may read, only a read-write token may write. The
 * audit trail holds old and new personal values, so it has its own access level that a
 * read-only token does not get (a reading client never needs it).
 */
import type { Context } from 'hono';
import { ApiError } from '../errors.ts';
import type { Actor } from '../service/deps.ts';
import { findToken } from '../state/tokens.ts';
import type { TokenRepository } from '../state/tokens.ts';

export type Access = 'public' | 'read' | 'audit' | 'write';

export interface AuthEnv {
  Variables: {
    tokens: TokenRepository;
    /** Set once a request is authorised; the request log names the token by id, never by value. */
    actor: Actor | undefined;
  };
}

const ANONYMOUS: Actor = { tokenId: '-', tokenName: 'anonymous' };

export function authorise(c: Context<AuthEnv>, access: Access): Actor {
  if (access === 'public') return ANONYMOUS;
  const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(c.req.header('Authorization') ?? '');
  const token = match?.[1];
  if (token === undefined) {
    throw new ApiError(401, 'unauthorized', 'Send the bridge token as "Authorization: Bearer <token>".');
  }
  const record = findToken(token, c.get('tokens').list());
  if (record === null) {
    throw new ApiError(401, 'unauthorized', 'The token is not valid for this bridge. Check it, or issue new tokens with "token".');
  }
  const actor: Actor = { tokenId: record.id, tokenName: record.name };
  c.set('actor', actor);
  if (access === 'write' && record.scope !== 'readwrite') {
    throw new ApiError(403, 'forbidden', 'This token can only read. Use the read-write token to change data.');
  }
  if (access === 'audit' && record.scope !== 'readwrite') {
    throw new ApiError(403, 'forbidden', 'The read-only token cannot read the audit log (it holds personal values). Use the read-write token.');
  }
  return actor;
}
