/** Content hashes, ETags and If-Match checks. An ETag is a hash of a record's content only. */
import { hash } from 'node:crypto';
import { ApiError } from '../errors.ts';
import type { JsonText } from '../http/json-text.ts';

/**
 * The value with every object's keys in sorted order, so that equal content always gives the same
 * JSON text. Objects whose keys are already sorted are returned as they are (the services build
 * their content in sorted order): this runs for every record of every page, since each record's
 * ETag is computed per request.
 */
function canonical(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const member = canonical(item);
      if (member !== item) (copy ??= value.slice())[i] = member;
    }
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let sorted = true;
  let members: unknown[] | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (i > 0 && (keys[i - 1] as string) >= key) sorted = false;
    const member = record[key];
    const normal = canonical(member);
    if (normal !== member) (members ??= keys.map((k) => record[k]))[i] = normal;
  }
  if (sorted && members === undefined) return value;
  const order = keys.map((key, i) => [key, members === undefined ? record[key] : members[i]] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(order);
}

/** The text a content hash covers; a list page sends this very text as the record's content. */
export function contentJson<T extends object>(content: T): JsonText<T> {
  return JSON.stringify(canonical(content)) as JsonText<T>;
}

/** SHA-256 in one call: a Hash object per record cost more than the digest itself. */
export function hashOfJson(json: string): string {
  return hash('sha256', json);
}

export function contentHash(content: object): string {
  return hashOfJson(contentJson(content));
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
