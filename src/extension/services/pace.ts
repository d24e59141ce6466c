// The pace of this tab's requests to ChurchTools, as the admin set it (issue 12 §6; the CLI has
// --pace / CT_PACE, the nightly runner `nightly.requestsPerMinute`).
//
// Kept in this browser (localStorage), not in the module's shared storage: ChurchTools counts
// requests per IP address (reference/ct-extension.md §0 item 10), so the pace that fits is a
// property of the network this browser sits in, shared with everyone behind the same address.
import { z } from 'zod';
import { CHURCHTOOLS_MAX_REQUESTS_PER_MINUTE, DEFAULT_REQUESTS_PER_MINUTE } from '../../churchtools/http/pacer.ts';

export { CHURCHTOOLS_MAX_REQUESTS_PER_MINUTE, DEFAULT_REQUESTS_PER_MINUTE };

export const PACE_STORAGE_KEY = 'optigem-sync:churchtools-requests-per-minute';

/** A pace an admin may set: whole requests per minute, at most ChurchTools' limit. */
export const paceSchema = z.int().min(1).max(CHURCHTOOLS_MAX_REQUESTS_PER_MINUTE);

/** Why an entered pace is refused; the setting names it in the user's language. */
export type PaceProblem = 'notWhole' | 'tooLow' | 'tooHigh';

export type PaceCheck = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly problem: PaceProblem };

export function checkPace(input: unknown): PaceCheck {
  const parsed = paceSchema.safeParse(typeof input === 'string' && input.trim() !== '' ? Number(input) : input);
  if (parsed.success) return { ok: true, value: parsed.data };
  const code = parsed.error.issues[0]?.code;
  return { ok: false, problem: code === 'too_big' ? 'tooHigh' : code === 'too_small' ? 'tooLow' : 'notWhole' };
}

/** The part of the Web Storage API used here. */
export interface PaceStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

function browserStorage(): PaceStorage | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    // Storage switched off for the site: the default pace, and a setting that lasts for the tab.
    return undefined;
  }
}

/** The stored pace; the default when none is stored or what is stored is not a valid pace. */
export function loadPace(storage: PaceStorage | undefined = browserStorage()): number {
  const stored = storage?.getItem(PACE_STORAGE_KEY);
  if (stored === null || stored === undefined) return DEFAULT_REQUESTS_PER_MINUTE;
  const check = checkPace(stored);
  return check.ok ? check.value : DEFAULT_REQUESTS_PER_MINUTE;
}

export function storePace(requestsPerMinute: number, storage: PaceStorage | undefined = browserStorage()): void {
  storage?.setItem(PACE_STORAGE_KEY, String(paceSchema.parse(requestsPerMinute)));
}
