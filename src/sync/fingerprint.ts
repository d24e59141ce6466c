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

/** Every possible hash, built once: hashing 360,000 values per plan then allocates nothing. */
let hashes: readonly string[] | null = null;

function allHashes(): readonly string[] {
  if (hashes) return hashes;
  const all: string[] = [];
  for (let bits = 0; bits < 1 << (6 * HASH_LENGTH); bits++) {
    let out = '';
    for (let i = 0, rest = bits; i < HASH_LENGTH; i++, rest >>>= 6) out = ALPHABET.charAt(rest & 63) + out;
    all.push(out);
  }
  hashes = all;
  return all;
}

export function valueHash(canonical: string): string {
  return allHashes()[fnv1a(canonical) >>> (32 - 6 * HASH_LENGTH)] as string;
}

/**
 * Whether an encoded fingerprint remembers `hash` for `key`: one of its segments is exactly
 * `key` + `hash`. Reads the string in place, since the nightly run asks this for every field
 * of every pair. `from` is the start of the segment to look at first (segments are usually in
 * the order asked for); the search wraps around, so any order is found. Returns where the
 * segment after the one found starts (the next `from`), or -1.
 */
export function findRemembered(encoded: string, key: string, hash: string, from = 0): number {
  const length = key.length + hash.length;
  const size = encoded.length;
  for (let pass = 0; pass < 2; pass++) {
    let start = pass === 0 ? from : 0;
    const stop = pass === 0 ? size : Math.min(from, size);
    while (start < stop) {
      let end = encoded.indexOf('.', start);
      if (end === -1) end = size;
      if (end - start === length && encoded.startsWith(key, start) && encoded.startsWith(hash, start + key.length)) return end + 1;
      start = end + 1;
    }
  }
  return -1;
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

/**
 * The content of a record as read (properties and archive flag, keys in order): a re-read right
 * before a write compares it to tell whether the record changed since the plan was made.
 */
export function recordHash(record: { readonly properties: Readonly<Record<string, unknown>>; readonly archived?: boolean }): string {
  let hash = fnv1a(record.archived ? 'a' : '-');
  const keys = Object.keys(record.properties);
  // Sorted in place by insertion, as a record has a few dozen properties at most:
  // Array.prototype.sort allocated more than the rest of the hash.
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] as string;
    let j = i - 1;
    while (j >= 0 && (keys[j] as string) > key) {
      keys[j + 1] = keys[j] as string;
      j--;
    }
    keys[j + 1] = key;
  }
  // The hash of `${key}=${JSON.stringify(value ?? null)};` for each key, fed piece by piece:
  // an update plans one per written record, and building the texts was most of its cost.
  for (const key of keys) hash = mixChar(mixJson(mixChar(fnv1a(key, hash), 0x3d), record.properties[key] ?? null), 0x3b);
  return hash.toString(16).padStart(8, '0');
}

function mixChar(hash: number, code: number): number {
  return Math.imul(hash ^ code, 0x01000193) >>> 0;
}

/** fnv1a of JSON.stringify(value), without the text where it is plain (a string, number, boolean or list of strings). */
function mixJson(hash: number, value: unknown): number {
  if (typeof value === 'string') return jsonPlain(value) ? mixChar(fnv1a(value, mixChar(hash, 0x22)), 0x22) : fnv1a(JSON.stringify(value), hash);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string' && jsonPlain(item))) {
    let h = mixChar(hash, 0x5b);
    for (let i = 0; i < value.length; i++) {
      if (i > 0) h = mixChar(h, 0x2c);
      h = mixChar(fnv1a(value[i] as string, mixChar(h, 0x22)), 0x22);
    }
    return mixChar(h, 0x5d);
  }
  return fnv1a(JSON.stringify(value), hash);
}

/** Text that JSON writes as it is between quotes: no quote, backslash, control character or surrogate. */
function jsonPlain(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) return false;
  }
  return true;
}
