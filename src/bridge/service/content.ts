/** Content hashes, ETags and If-Match checks. An ETag is a hash of a record's content only. */
import { createHash } from 'node:crypto';
import { ApiError } from '../errors.ts';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

export function contentHash(content: Readonly<Record<string, unknown>>): string {
  return createHash('sha256').update(JSON.stringify(canonical(content))).digest('hex');
}

export function etagOf(hash: string): string {
  return `"${hash.slice(0, 32)}"`;
}

/**
 * Writes must name the version they were based on. `*` is refused on purpose: it would let a
 * client skip the very check that prevents lost updates.
 */
export function assertIfMatch(header: string | undefined, currentEtag: string, what: string): void {
  if (header === undefined || header.trim() === '' || header.trim() === '*') {
    throw new ApiError(428, 'preconditionRequired', `Send If-Match with the ETag of ${what} as you last read it.`);
  }
  const candidates = header.split(',').map((tag) => tag.trim());
  if (!candidates.includes(currentEtag)) {
    throw new ApiError(412, 'changed', `${what} was changed since you read it. Read it again and retry.`);
  }
}
