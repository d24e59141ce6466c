import type { NightlyStatus } from '../../runner/nightly.ts';
import { ApiError } from '../errors.ts';
import type { BridgeState } from '../state/index.ts';
import type { OptigemStore } from '../store/types.ts';
import type { CoupleDetector } from './couple.ts';
import type { Serial } from './serial.ts';

export interface ServiceDeps {
  readonly store: OptigemStore;
  readonly state: BridgeState;
  readonly serial: Serial;
  readonly now: () => Date;
  readonly detectCouple: CoupleDetector;
  readonly writePersons: boolean;
  readonly writeBookings: boolean;
  /** `store.readOnly`: every write is refused, whatever writePersons/writeBookings say. */
  readonly readOnly?: boolean;
  /** The store is a real Optigem database (ODBC): refusals then name the `store.*` settings. */
  readonly realDatabase?: boolean;
  /** The nightly runner's status, when it runs (a getter: services exist before the runner starts). */
  readonly nightlyStatus?: () => NightlyStatus | undefined;
}

/** Who is writing, for the audit log. */
export interface Actor {
  readonly tokenId: string;
  readonly tokenName: string;
}

export function isoNow(deps: Pick<ServiceDeps, 'now'>): string {
  return deps.now().toISOString();
}

/** The fields whose values differ, as old and new maps for the audit log. */
export function diff(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): { oldValues: Record<string, unknown>; newValues: Record<string, unknown> } {
  const oldValues: Record<string, unknown> = {};
  const newValues: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      oldValues[key] = before[key] ?? null;
      newValues[key] = after[key] ?? null;
    }
  }
  return { oldValues, newValues };
}

/** Refuses a write with 403 and the setting that would allow it. */
export function assertWritesAllowed(deps: Pick<ServiceDeps, 'readOnly' | 'realDatabase' | 'writePersons' | 'writeBookings'>, what: 'persons' | 'bookings'): void {
  if (deps.readOnly) {
    throw new ApiError(403, 'writesDisabled', 'This bridge is in read-only mode (store.readOnly): it serves reads and refuses every write. Turn read-only off in the bridge config once the first sync runs have been checked.');
  }
  const allowed = what === 'persons' ? deps.writePersons : deps.writeBookings;
  if (allowed) return;
  if (what === 'bookings') {
    throw new ApiError(
      403,
      'writesDisabled',
      deps.realDatabase
        ? 'Booking writes to the Optigem database are off (store.writeBookings): writing straight into the accounting tables bypasses Optigem\'s own checks. Use Optigem\'s booking import, or see docs/bridge.md before enabling them.'
        : 'This bridge is configured not to write bookings (writeBookings); use Optigem\'s booking import instead.',
    );
  }
  throw new ApiError(403, 'writesDisabled', deps.realDatabase ? 'Person writes to the Optigem database are off (store.writePersons).' : 'This bridge is configured not to write persons (writePersons).');
}
