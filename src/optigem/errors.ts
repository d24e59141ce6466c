/**
 * Typed bridge errors. Each says what to do next, in English for logs, with an i18n key and
 * arguments for the UI. Browser-safe.
 */
import type { FieldProblem } from './schemas.ts';

export type BridgeErrorKind =
  | 'unreachable'
  | 'timeout'
  | 'tls'
  | 'blocked'
  | 'unauthorized'
  | 'readOnlyToken'
  | 'writesDisabled'
  | 'notFound'
  | 'changed'
  | 'preconditionRequired'
  | 'validation'
  | 'conflict'
  | 'tooLarge'
  | 'server'
  | 'invalidResponse';

const ADVICE: Record<BridgeErrorKind, string> = {
  unreachable:
    'Cannot reach the Optigem bridge at {url}. Check that it runs, that this computer is in the church network (or VPN), and that the browser may access the local network.',
  timeout: 'The Optigem bridge at {url} did not answer in time. Try again; if it keeps happening, check the bridge machine.',
  tls: 'The HTTPS certificate of the bridge at {url} is not trusted ({detail}). Install a certificate the browser trusts (see docs/bridge.md).',
  blocked:
    'The browser blocked the request to {url} ({detail}). Add this ChurchTools address to the bridge\'s allowed origins, serve the bridge over HTTPS, and allow local network access when the browser asks.',
  unauthorized: 'The bridge rejected the token. Enter the current bridge token (on the bridge, "token" makes new ones).',
  readOnlyToken: 'The bridge token can only read. Enter the read-write token to change data in Optigem.',
  writesDisabled: 'The bridge is configured not to write this kind of data ({detail}).',
  notFound: 'Not found in Optigem: {detail}',
  changed: 'The record was changed in Optigem since it was read. Simulate again to see the current data.',
  preconditionRequired: 'The bridge needs the version of the record that was read (If-Match). Read the record first.',
  validation: 'Optigem did not accept the values: {fields}',
  conflict: 'Optigem refused the change: {detail}',
  tooLarge: 'The request to the bridge is too large.',
  server: 'The bridge failed ({status}). See the bridge log.',
  invalidResponse: 'The bridge at {url} answered something unexpected ({detail}). Check the URL and that bridge and extension versions match.',
};

export interface BridgeErrorInit {
  url: string;
  status?: number | undefined;
  /** The bridge's error code (`error.code` of the body), when it sent one. */
  code?: string | undefined;
  detail?: string | undefined;
  fields?: FieldProblem[] | undefined;
  cause?: unknown;
}

export class BridgeError extends Error {
  readonly kind: BridgeErrorKind;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly fields: readonly FieldProblem[];
  /** i18n key for the UI; `args` fill its placeholders. */
  readonly i18nKey: string;
  readonly args: Readonly<Record<string, string | number>>;
  /** Worth trying again later without changing anything. */
  readonly retryable: boolean;

  constructor(kind: BridgeErrorKind, init: BridgeErrorInit) {
    const args: Record<string, string | number> = {
      url: init.url,
      status: init.status ?? 0,
      detail: init.detail ?? '',
      fields: (init.fields ?? []).map((f) => `${f.path}: ${f.message}`).join('; '),
    };
    super(
      ADVICE[kind].replace(/\{(\w+)\}/g, (_m, key: string) => String(args[key] ?? '')),
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.name = 'BridgeError';
    this.kind = kind;
    this.status = init.status;
    this.code = init.code;
    this.fields = init.fields ?? [];
    this.i18nKey = `optigem.bridgeError.${kind}`;
    this.args = args;
    this.retryable = kind === 'unreachable' || kind === 'timeout' || kind === 'server';
  }
}

/** The error kind for an HTTP error answer from the bridge. */
export function kindOfStatus(status: number, code: string | undefined): BridgeErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return code === 'writesDisabled' ? 'writesDisabled' : 'readOnlyToken';
  if (status === 404) return 'notFound';
  if (status === 412) return 'changed';
  if (status === 428) return 'preconditionRequired';
  if (status === 409) return 'conflict';
  if (status === 413) return 'tooLarge';
  if (status >= 500) return 'server';
  return 'validation';
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EAI_AGAIN']);
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT']);

/** The error kind for a request that got no HTTP answer, from the low-level error code. */
export function kindOfTransportCode(code: string | undefined): BridgeErrorKind | null {
  if (code === undefined) return null;
  if (TLS_CODES.has(code)) return 'tls';
  if (UNREACHABLE_CODES.has(code)) return 'unreachable';
  if (TIMEOUT_CODES.has(code)) return 'timeout';
  return null;
}
