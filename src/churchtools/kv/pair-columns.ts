/**
 * Column layout for a chunk of pairs, before compression. Pairs in a chunk are sorted and
 * mostly alike, so storing them column by column lets deflate remove nearly everything but
 * the fingerprint hashes (which are random and cost their full size):
 *
 *   c:<ct ids as deltas>  o:<og ids as deltas>  s:<one status letter per pair>
 *   k:<fingerprint key templates>  t:<template index per pair>  h:<all hashes, concatenated>
 *   r:<raw fingerprints that fit no template>  a:<at as deltas>
 *   p:<spouse id per pair, empty for ordinary pairs> — only in chunks holding a couple pair, so
 *   chunks written before couple pairs existed read as they are
 *
 * A fingerprint is `key+hash` parts joined by `.` (src/sync/fingerprint.ts); it is split into a
 * key template (stored once) and hashes of HASH_LENGTH characters. Anything that does not
 * round-trip exactly is kept raw, so the layout is lossless for any string.
 */
import { HASH_LENGTH } from '../../sync/fingerprint.ts';
import type { Pair, PairStatus } from '../../sync/model.ts';
import { pairSchema } from './schemas.ts';

const STATUS_CODE: Readonly<Record<PairStatus, string>> = { synced: 's', conflict: 'c', deleted: 'd', reversed: 'r' };
const CODE_STATUS: Readonly<Record<string, PairStatus>> = { s: 'synced', c: 'conflict', d: 'deleted', r: 'reversed' };
const CANONICAL_INT = /^(0|[1-9]\d{0,14})$/;
const KEY = /^[a-z][a-z0-9]*$/;
const HASH = /^[A-Za-z0-9_-]+$/;

function escapeField(value: string): string {
  return value.replace(/[%,\n\r]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function unescapeField(value: string): string {
  return value.includes('%') ? decodeURIComponent(value) : value;
}

/** Ids as differences to the previous id when all are plain integers, else escaped text. */
function encodeIds(tag: string, ids: readonly string[]): string {
  if (ids.every((id) => CANONICAL_INT.test(id))) {
    let previous = 0;
    return `${tag}:${ids
      .map((id) => {
        const n = Number(id);
        const d = n - previous;
        previous = n;
        return String(d);
      })
      .join(',')}`;
  }
  return `${tag.toUpperCase()}:${ids.map(escapeField).join(',')}`;
}

function decodeIds(section: string, n: number, name: string): string[] {
  const body = section.slice(2);
  const items = n === 0 ? [] : body.split(',');
  if (items.length !== n) throw new Error(`${name}: ${items.length} entries, expected ${n}`);
  if (section[0] === section[0]!.toUpperCase()) return items.map(unescapeField);
  let previous = 0;
  return items.map((d) => {
    if (!/^-?\d+$/.test(d)) throw new Error(`${name}: bad delta "${d}"`);
    previous += Number(d);
    return String(previous);
  });
}

function splitFingerprint(fp: string): { template: string; hashes: string } | null {
  if (fp === '') return { template: '', hashes: '' };
  const keys: string[] = [];
  let hashes = '';
  for (const part of fp.split('.')) {
    if (part.length <= HASH_LENGTH) return null;
    const key = part.slice(0, -HASH_LENGTH);
    const hash = part.slice(-HASH_LENGTH);
    if (!KEY.test(key) || !HASH.test(hash)) return null;
    keys.push(key);
    hashes += hash;
  }
  return { template: keys.join('.'), hashes };
}

export function encodeChunkColumns(pairs: readonly Pair[]): string {
  const templates = new Map<string, number>();
  const templateIndex: string[] = [];
  const raw: string[] = [];
  let hashes = '';
  let status = '';
  const at: string[] = [];
  let previousAt = 0;
  for (const pair of pairs) {
    status += STATUS_CODE[pair.status];
    const split = splitFingerprint(pair.fp);
    if (split) {
      let index = templates.get(split.template);
      if (index === undefined) {
        index = templates.size;
        templates.set(split.template, index);
      }
      templateIndex.push(String(index));
      hashes += split.hashes;
    } else {
      templateIndex.push('x');
      raw.push(escapeField(pair.fp));
    }
    at.push(String(pair.at - previousAt));
    previousAt = pair.at;
  }
  return [
    `n:${pairs.length}`,
    encodeIds('c', pairs.map((p) => p.ct)),
    encodeIds('o', pairs.map((p) => p.og)),
    `s:${status}`,
    `k:${[...templates.keys()].join(',')}`,
    `t:${templateIndex.join(',')}`,
    `h:${hashes}`,
    `r:${raw.join(',')}`,
    `a:${at.join(',')}`,
    ...(pairs.some((p) => p.sp !== undefined) ? [`p:${pairs.map((p) => escapeField(p.sp ?? '')).join(',')}`] : []),
  ].join('\n');
}

export function decodeChunkColumns(text: string): Pair[] {
  const sections = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.length < 2 || line[1] !== ':') throw new Error('malformed chunk section');
    sections.set(line[0]!.toLowerCase(), line);
  }
  const section = (tag: string): string => {
    const s = sections.get(tag);
    if (s === undefined) throw new Error(`chunk section "${tag}" missing`);
    return s;
  };
  const nText = section('n').slice(2);
  if (!/^\d+$/.test(nText)) throw new Error('bad pair count');
  const n = Number(nText);
  const ct = decodeIds(section('c'), n, 'ct');
  const og = decodeIds(section('o'), n, 'og');
  const status = section('s').slice(2);
  if (status.length !== n) throw new Error('status column has the wrong length');
  const keysText = section('k').slice(2);
  // The empty fingerprint has the empty template, so '' splits to [''] as it should.
  const templates = keysText.split(',');
  const indexes = n === 0 ? [] : section('t').slice(2).split(',');
  if (indexes.length !== n) throw new Error('template column has the wrong length');
  const hashes = section('h').slice(2);
  const rawText = section('r').slice(2);
  const raw = rawText === '' ? [] : rawText.split(',');
  const atDeltas = n === 0 ? [] : section('a').slice(2).split(',');
  if (atDeltas.length !== n) throw new Error('time column has the wrong length');
  const spouseText = sections.get('p');
  const spouses = spouseText === undefined || n === 0 ? null : spouseText.slice(2).split(',');
  if (spouses && spouses.length !== n) throw new Error('spouse column has the wrong length');

  const pairs: Pair[] = [];
  let hashPos = 0;
  let rawPos = 0;
  let at = 0;
  for (let i = 0; i < n; i++) {
    let fp: string;
    const index = indexes[i]!;
    if (index === 'x') {
      const value = raw[rawPos++];
      if (value === undefined) throw new Error('raw fingerprint column too short');
      fp = unescapeField(value);
    } else {
      const template = templates[Number(index)];
      if (template === undefined || !/^\d+$/.test(index)) throw new Error(`unknown fingerprint template ${index}`);
      if (template === '') {
        fp = '';
      } else {
        const keys = template.split('.');
        const parts: string[] = [];
        for (const key of keys) {
          const hash = hashes.slice(hashPos, hashPos + HASH_LENGTH);
          if (hash.length !== HASH_LENGTH) throw new Error('hash column too short');
          hashPos += HASH_LENGTH;
          parts.push(key + hash);
        }
        fp = parts.join('.');
      }
    }
    const d = atDeltas[i]!;
    if (!/^-?\d+$/.test(d)) throw new Error(`bad time delta "${d}"`);
    at += Number(d);
    const s = CODE_STATUS[status[i]!];
    if (!s) throw new Error(`unknown pair status "${status[i]}"`);
    const sp = spouses ? unescapeField(spouses[i]!) : '';
    pairs.push(pairSchema.parse({ ct: ct[i], og: og[i], status: s, fp, at, ...(sp === '' ? {} : { sp }) }));
  }
  if (hashPos !== hashes.length) throw new Error('hash column too long');
  if (rawPos !== raw.length) throw new Error('raw fingerprint column too long');
  return pairs;
}
