/**
 * Bridge errors as the engine's PortErrors: a code users can act on, the bridge's arguments
 * plus the record's, and whether a later run may succeed. Shared by the person and booking ports.
 */
import { PortError } from '../sync/ports.ts';
import { BridgeError } from './errors.ts';
import type { BridgeErrorKind } from './errors.ts';

const PORT_CODES: Record<BridgeErrorKind, string> = {
  unreachable: 'bridgeUnreachable',
  timeout: 'bridgeTimeout',
  tls: 'bridgeTls',
  blocked: 'bridgeBlocked',
  unauthorized: 'bridgeUnauthorized',
  readOnlyToken: 'bridgeReadOnly',
  writesDisabled: 'bridgeWritesDisabled',
  notFound: 'notFound',
  changed: 'changedSinceRead',
  preconditionRequired: 'changedSinceRead',
  validation: 'invalidValues',
  conflict: 'conflict',
  tooLarge: 'invalidValues',
  server: 'bridgeServerError',
  invalidResponse: 'bridgeInvalidResponse',
};

const CONFLICT_CODES: Record<string, string> = {
  hasBookings: 'hasBookings',
  idempotencyKeyReused: 'createdRecordDeleted',
  fiscalYearClosed: 'fiscalYearClosed',
};

/** A PortError the engine can log and the UI can translate, from whatever the client threw. */
export function toPortError(error: unknown, args: Record<string, string | number> = {}): PortError {
  if (error instanceof PortError) return error;
  if (error instanceof BridgeError) {
    const code = error.kind === 'conflict' ? (CONFLICT_CODES[error.code ?? ''] ?? 'conflict') : PORT_CODES[error.kind];
    return new PortError(code, error.message, { retryable: error.retryable, args: { ...error.args, ...args }, cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new PortError('bridgeFailed', message, { args: { ...args, detail: message }, cause: error });
}
