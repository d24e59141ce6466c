/**
 * A pair's memory of what was last synced, small enough to store thousands of pairs per
 * 10,000-character value: per property-pair key, a 12-bit hash of the canonical value
 * (2 base64url characters), e.g. `fnAb.lnx9.st0_`.
 *
 * Per field rather than per record so that jobs of one connection that sync different
 * property pairs do not see each other's fields as "changed". A changed value hashes to the
 * old hash once in 4,096; the engine then falls back to comparing modification dates, which
 * is exactly what ChurchTools' own Sync always does. Twelve bits, not more, because the hashes
 * cannot be compressed and 30,000 pairs with ten property pairs must fit ChurchTools' request
 * budget (about a hundred 10,000-character values).
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
export const HASH_LENGTH = 2;

/** FNV-1a over UTF-16 code units: tiny, fast, and the same in browser and Node. */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let hash = seed;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A 32-bit hash as 8 hex digits, e.g. for plan digests. */
export function hashText(text: string): string {
  return fnv1a(text).toString(16).padStart(8, '0');
}

export function valueHash(canonical: string): string {
  let bits = fnv1a(canonical) >>> (32 - 6 * HASH_LENGTH);
  let out = '';
  for (let i = 0; i < HASH_LENGTH; i++) {
    out = ALPHABET.charAt(bits & 63) + out;
    bits >>>= 6;
  }
  return out;
}

export type Fingerprint = ReadonlyMap<string, string>;

export function decodeFingerprint(encoded: string): Map<string, string> {
  const map = new Map<string, string>();
  if (encoded === '') return map;
  for (const part of encoded.split('.')) {
    if (part.length <= HASH_LENGTH) continue;
    map.set(part.slice(0, -HASH_LENGTH), part.slice(-HASH_LENGTH));
  }
  return map;
}

export function encodeFingerprint(fingerprint: Fingerprint): string {
  return [...fingerprint.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, hash]) => key + hash)
    .join('.');
}

/** A fingerprint patch: per key, a hash to set, or null to forget the field's baseline. */
export type FingerprintPatch = Readonly<Record<string, string | null>>;

export function applyFingerprintPatch(encoded: string, patch: FingerprintPatch): string {
  const map = decodeFingerprint(encoded);
  for (const [key, hash] of Object.entries(patch)) {
    if (hash === null) map.delete(key);
    else map.set(key, hash);
  }
  return encodeFingerprint(map);
}

/** Property-pair keys must not collide with the encoding's separators or hash length. */
export const PROPERTY_PAIR_KEY_PATTERN = /^[a-z][a-z0-9]{0,5}$/;
