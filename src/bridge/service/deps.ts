import type { NightlyStatus } from '../../runner/nightly.ts';
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
