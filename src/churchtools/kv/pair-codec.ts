/**
 * Pair identity and order, and the text of a delta: one line per change, `+ct,og,s,fp,at`
 * (status as one letter, `at` in base 36; a couple pair adds `,sp`) or `-ct,og` for a removal; `%`, `,` and line breaks
 * inside a field are percent-escaped. The delta is then deflated (compression.ts). Chunks use
 * the denser column layout of pair-columns.ts.
 */
import type { Pair, PairStatus } from '../../sync/model.ts';
import { pairSchema } from './schemas.ts';

const STATUS_CODE: Readonly<Record<PairStatus, string>> = { synced: 's', conflict: 'c', deleted: 'd', reversed: 'r' };
const CODE_STATUS: Readonly<Record<string, PairStatus>> = { s: 'synced', c: 'conflict', d: 'deleted', r: 'reversed' };

function escapeField(value: string): string {
  return value.replace(/[%,\n\r]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function unescapeField(value: string): string {
  return value.includes('%') ? decodeURIComponent(value) : value;
}

/** A pair's identity: the two records it links. */
export function pairKey(pair: { readonly ct: string; readonly og: string }): string {
  return `${pair.ct}\u0000${pair.og}`;
}

/** Numeric ids by value, then anything else by text: the order chunks are laid out in. */
function compareIds(a: string, b: string): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) {
    const a2 = a.replace(/^0+(?=\d)/, '');
    const b2 = b.replace(/^0+(?=\d)/, '');
    if (a2.length !== b2.length) return a2.length - b2.length;
  } else if (an !== bn) {
    return an ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

export function comparePairs(a: { readonly ct: string; readonly og: string }, b: { readonly ct: string; readonly og: string }): number {
  return compareIds(a.ct, b.ct) || compareIds(a.og, b.og);
}

export function samePair(a: Pair, b: Pair): boolean {
  return a.ct === b.ct && a.og === b.og && a.status === b.status && a.fp === b.fp && a.at === b.at && a.sp === b.sp;
}

export function encodePairLine(pair: Pair): string {
  const fields = [escapeField(pair.ct), escapeField(pair.og), STATUS_CODE[pair.status], escapeField(pair.fp), pair.at.toString(36)];
  if (pair.sp !== undefined) fields.push(escapeField(pair.sp));
  return fields.join(',');
}

export function decodePairLine(line: string): Pair {
  const fields = line.split(',');
  // Five fields; a couple pair's line has the spouse as a sixth (lines written before have five).
  if (fields.length !== 5 && fields.length !== 6) throw new Error(`a pair line needs 5 or 6 fields, got ${fields.length}`);
  const [ct, og, s, fp, at, sp] = fields as [string, string, string, string, string, string | undefined];
  const status = CODE_STATUS[s];
  if (!status) throw new Error(`unknown pair status "${s}"`);
  if (!/^-?[0-9a-z]+$/.test(at)) throw new Error(`bad timestamp "${at}"`);
  return pairSchema.parse({ ct: unescapeField(ct), og: unescapeField(og), status, fp: unescapeField(fp), at: parseInt(at, 36), ...(sp === undefined ? {} : { sp: unescapeField(sp) }) });
}

export interface PairDelta {
  readonly upserts: ReadonlyMap<string, Pair>;
  /** Keys removed, with the identity they name. */
  readonly removals: ReadonlyMap<string, { readonly ct: string; readonly og: string }>;
}

export function encodeDelta(delta: PairDelta): string {
  const lines: string[] = [];
  for (const pair of [...delta.upserts.values()].sort(comparePairs)) lines.push(`+${encodePairLine(pair)}`);
  for (const id of [...delta.removals.values()].sort(comparePairs)) lines.push(`-${escapeField(id.ct)},${escapeField(id.og)}`);
  return lines.join('\n');
}

export function decodeDelta(text: string): PairDelta {
  const upserts = new Map<string, Pair>();
  const removals = new Map<string, { ct: string; og: string }>();
  if (text === '') return { upserts, removals };
  for (const line of text.split('\n')) {
    if (line.startsWith('+')) {
      const pair = decodePairLine(line.slice(1));
      upserts.set(pairKey(pair), pair);
    } else if (line.startsWith('-')) {
      const fields = line.slice(1).split(',');
      if (fields.length !== 2) throw new Error('a removal line needs 2 fields');
      const id = { ct: unescapeField(fields[0]!), og: unescapeField(fields[1]!) };
      removals.set(pairKey(id), id);
    } else {
      throw new Error('a delta line must start with + or -');
    }
  }
  return { upserts, removals };
}
