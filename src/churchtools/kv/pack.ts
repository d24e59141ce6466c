/**
 * Splits an ordered list into pieces whose compressed text fits a value, each piece as full as
 * a few trial compressions allow. Compressed size is not linear in the number of items, so
 * the piece size is found by projection and bisection instead of arithmetic.
 */
import { deflateToBase64 } from './compression.ts';
import { ValueTooLargeError } from './errors.ts';

export interface Packed<T> {
  readonly items: T[];
  /** The compressed text of `encode(items)`. */
  readonly z: string;
}

/** Fill target: stop growing a piece once it uses this share of `maxChars`. */
const GOOD_ENOUGH = 0.975;
const MAX_TRIALS = 12;

export async function packCompressed<T>(
  items: readonly T[],
  encode: (items: readonly T[]) => string,
  maxChars: number,
  what: string,
  firstGuess = 256,
): Promise<Packed<T>[]> {
  const out: Packed<T>[] = [];
  let start = 0;
  let guess = Math.max(1, firstGuess);
  const compress = (count: number): Promise<string> => deflateToBase64(encode(items.slice(start, start + count)));

  while (start < items.length) {
    const remaining = items.length - start;
    let count = Math.min(guess, remaining);
    let z = await compress(count);
    // Shrink until it fits.
    while (z.length > maxChars) {
      if (count === 1) throw new ValueTooLargeError(`One entry of ${what}`, z.length, maxChars);
      count = Math.max(1, Math.min(count - 1, Math.floor((count * maxChars * 0.95) / z.length)));
      z = await compress(count);
    }
    // Grow while there is room: `lo` fits, `hi` is the smallest count known not to fit.
    let lo = count;
    let hi = Number.POSITIVE_INFINITY;
    for (let trial = 0; trial < MAX_TRIALS && lo < remaining && z.length < maxChars * GOOD_ENOUGH && hi - lo > 1; trial++) {
      const projected = Math.floor((lo * maxChars * 0.99) / z.length);
      let next = Math.min(remaining, hi - 1, Math.max(lo + 1, projected));
      if (next >= hi) next = lo + Math.floor((hi - lo) / 2);
      if (next <= lo) break;
      const candidate = await compress(next);
      if (candidate.length <= maxChars) {
        lo = next;
        z = candidate;
      } else {
        hi = next;
      }
    }
    count = lo;
    out.push({ items: items.slice(start, start + count), z });
    start += count;
    guess = count;
  }
  return out;
}
