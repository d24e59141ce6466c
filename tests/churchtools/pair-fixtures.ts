/** Deterministic pairs that look like a real person sync (engine fingerprint format). */
import type { Pair } from '../../src/sync/model.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const KEYS = ['bd', 'cty', 'em', 'fn', 'ln', 'mob', 'sex', 'st', 'str', 'zip'];

/** A small LCG so fixtures are the same on every run. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export function makePairs(count: number, options: { fields?: number; seed?: number } = {}): Pair[] {
  const next = random(options.seed ?? 42);
  const fields = KEYS.slice(0, options.fields ?? 6);
  const pairs: Pair[] = [];
  const base = 1_750_000_000;
  for (let i = 0; i < count; i++) {
    const fp = fields
      .map((key) => key + [0, 1].map(() => ALPHABET.charAt(Math.floor(next() * 64))).join(""))
      .join('.');
    pairs.push({
      ct: String(1000 + i * (1 + Math.floor(next() * 3))),
      og: String(10_000 + Math.floor(next() * 90_000)),
      status: next() < 0.02 ? 'conflict' : 'synced',
      fp,
      at: base + Math.floor(next() * 5) * 86_400,
    });
  }
  // ct must be unique: the formula above can repeat, so keep the first of each.
  const seen = new Set<string>();
  return pairs.filter((p) => (seen.has(p.ct) ? false : (seen.add(p.ct), true)));
}

/** Changes `n` pairs spread over the whole list (new fingerprint and time). */
export function changeScattered(pairs: readonly Pair[], n: number, seed = 7): Pair[] {
  const next = random(seed);
  const copy = [...pairs];
  for (let k = 0; k < n; k++) {
    const i = Math.floor(((k + next()) / n) * copy.length) % copy.length;
    const p = copy[i]!;
    copy[i] = { ...p, fp: p.fp.replace(/^(..)(...)/, '$1zzz'), at: p.at + 3600 };
  }
  return copy;
}
