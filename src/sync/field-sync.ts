/**
 * Field-level work for one pair of records: which selected properties differ, and the writes
 * that carry a value from one side to the other (through the value mapping, with fallbacks).
 * Used by "link & unify" and by the three maintenance actions.
 */
import { canonicalValue } from './canonical.ts';
import { recordHash, valueHash } from './fingerprint.ts';
import { type Translation, comparable, translate } from './mapping.ts';
import type { ActionId, FieldChange, FieldValue, Message, PropertyPair, SyncRecord, SystemId } from './model.ts';
import { otherSystem } from './model.ts';
import type { PlanBuilder } from './plan-builder.ts';
import { CT_BOOKING_FIELDS, CT_TRANSACTION_FIELDS, OG_BOOKING_FIELDS, notUpdatableInPlace } from './transaction-fields.ts';

/** Both sides changed since the last sync, or no way to tell which value is newer. */
export type ConflictReason = 'bothChanged' | 'undecidable';

export interface FieldState {
  readonly pair: PropertyPair;
  readonly value: Readonly<Record<SystemId, FieldValue>>;
  /** Both sides in ChurchTools' terms; equal means "in sync". */
  readonly comparable: Readonly<Record<SystemId, string>>;
}

/**
 * One record's values of the given property pairs in comparable form, in the pairs' order;
 * written into `into` when given, so that a loop over many pairs can reuse one array.
 */
export function comparableValues(pairs: readonly PropertyPair[], system: SystemId, record: SyncRecord, into: string[] = []): string[] {
  // Overwritten in place: emptying the array first would give up its storage every time.
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i] as PropertyPair;
    into[i] = comparable(pair, system, record.properties[pair[system]] ?? null);
  }
  into.length = pairs.length;
  return into;
}

export function fieldStates(pairs: readonly PropertyPair[], ct: SyncRecord, og: SyncRecord): FieldState[] {
  return pairs.map((pair) => fieldState(pair, ct, og, comparable(pair, 'churchtools', ct.properties[pair.churchtools] ?? null), comparable(pair, 'optigem', og.properties[pair.optigem] ?? null)));
}

/**
 * One field of a pair, its comparable values already known (comparableValues): callers build
 * states only for the fields that differ, since most fields of most pairs do not.
 */
export function fieldState(pair: PropertyPair, ct: SyncRecord, og: SyncRecord, ctComparable: string, ogComparable: string): FieldState {
  return {
    pair,
    value: { churchtools: ct.properties[pair.churchtools] ?? null, optigem: og.properties[pair.optigem] ?? null },
    comparable: { churchtools: ctComparable, optigem: ogComparable },
  };
}

/** Which record was modified later, by each system's own clock; null when that cannot be told. */
export function newerSide(ct: SyncRecord, og: SyncRecord): SystemId | null {
  return later(modifiedTime(ct), modifiedTime(og));
}

function modifiedTime(record: SyncRecord): number {
  return record.modifiedAt === null ? Number.NaN : parseTimestamp(record.modifiedAt);
}

/**
 * Date.parse, with a shortcut for the form the adapters hand over (`2026-01-01T12:00:00Z`,
 * with or without milliseconds): a first sync compares the dates of 20,000 pairs, and
 * Date.parse is slow. Anything else, or a part out of range, is left to Date.parse.
 */
export function parseTimestamp(text: string): number {
  const length = text.length;
  const usual =
    (length === 20 || (length === 24 && text.charCodeAt(19) === 0x2e)) &&
    text.charCodeAt(length - 1) === 0x5a &&
    text.charCodeAt(4) === 0x2d &&
    text.charCodeAt(7) === 0x2d &&
    text.charCodeAt(10) === 0x54 &&
    text.charCodeAt(13) === 0x3a &&
    text.charCodeAt(16) === 0x3a;
  if (usual) {
    const year = digits(text, 0, 4);
    const month = digits(text, 5, 2);
    const day = digits(text, 8, 2);
    const hour = digits(text, 11, 2);
    const minute = digits(text, 14, 2);
    const second = digits(text, 17, 2);
    const millis = length === 24 ? digits(text, 20, 3) : 0;
    // Date.UTC reads years below 100 as 19xx and rolls month 13 over; Date.parse refuses both.
    const inRange = year >= 1000 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour >= 0 && hour <= 23;
    if (inRange && minute >= 0 && minute <= 59 && second >= 0 && second <= 59 && millis >= 0) {
      return Date.UTC(year, month - 1, day, hour, minute, second, millis);
    }
  }
  return Date.parse(text);
}

/** The number written with `count` digits at `start`; -1 if one is not a digit. */
function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function later(a: number, b: number): SystemId | null {
  if (Number.isNaN(a) || Number.isNaN(b) || a === b) return null;
  return a > b ? 'churchtools' : 'optigem';
}

/**
 * How long after our own sync of a pair (`Pair.at`, the executor's clock) a modification still
 * counts as ours: covers clock skew between the executor and each system and `at` being cut to
 * whole seconds. [I] Half a minute is a guess; too small lets our own write look like a user's
 * change again, too large misses a real edit made right after a run.
 */
const OWN_WRITE_TOLERANCE_SECONDS = 30;

/** What the modification dates say about a linked pair, for fields the fingerprint cannot decide. */
export interface PairDates {
  /** The record modified later, counting only modifications since the pair's last sync. */
  readonly newer: SystemId | null;
  /** Neither record was modified since the pair's last sync. */
  readonly unchanged: boolean;
}

/**
 * `syncedAt`: the pair's `at`, when we last synced it (seconds since the epoch). Our own writes
 * of that sync (the values, ChurchTools' `optigemId`) move a record's modification time as well
 * and must not make it "newer": a record modified no later than `syncedAt` has not changed
 * since. When just one record changed, it is the newer one; when both did, the later one; when
 * neither did, dates decide nothing. Unknown times count as changed and decide nothing.
 */
export function pairDates(ct: SyncRecord, og: SyncRecord, syncedAt: number): PairDates {
  const a = modifiedTime(ct);
  const b = modifiedTime(og);
  const since = (syncedAt + OWN_WRITE_TOLERANCE_SECONDS) * 1000;
  const ctChanged = Number.isNaN(a) || a > since;
  const ogChanged = Number.isNaN(b) || b > since;
  let newer: SystemId | null = null;
  if (ctChanged && ogChanged) newer = later(a, b);
  else if (ctChanged !== ogChanged && !Number.isNaN(a) && !Number.isNaN(b)) newer = ctChanged ? 'churchtools' : 'optigem';
  return { newer, unchanged: !ctChanged && !ogChanged };
}

type Refusal = Extract<Translation, { readonly kind: 'skip' | 'block' }>;

/** Fallback "block job": one blocker per property pair, side and value, whichever action met it. */
export function blockByFallback(builder: PlanBuilder, pair: PropertyPair, from: SystemId, refusal: Refusal): void {
  builder.blocker(
    {
      key: refusal.reason === 'unmapped' ? 'blocker.unmappedValue' : 'blocker.ambiguousValue',
      args: { system: from, field: pair[from], value: refusal.sourceValue, propertyPair: pair.key },
    },
    `${pair.key}|${from}|${refusal.sourceValue}`,
  );
}

/** Fallback "skip field": the warning every action logs for the record, naming field and value. */
export function skippedByFallback(pair: PropertyPair, from: SystemId, refusal: Refusal): Message {
  return { key: refusal.reason === 'unmapped' ? 'log.unmappedSkipped' : 'log.ambiguousSkipped', args: { field: pair[from], value: refusal.sourceValue, system: from } };
}

interface TargetWrites {
  readonly values: Record<string, FieldValue>;
  readonly changes: FieldChange[];
  readonly fpPatch: Record<string, string | null>;
}

/** Collects the writes, conflicts and refreshed baselines for one pair, then emits them. */
export class PairWork {
  /** Per side, made by its first write: most pairs write to one side or none. */
  private readonly writes: Partial<Record<SystemId, TargetWrites>> = {};
  private labelText: string | undefined;
  readonly refreshed: Record<string, string | null> = {};
  readonly conflicts: { readonly change: FieldChange; readonly reason: ConflictReason }[] = [];
  readonly kept: FieldChange[] = [];

  constructor(
    private readonly builder: PlanBuilder,
    private readonly action: ActionId,
    readonly records: Readonly<Record<SystemId, SyncRecord>>,
  ) {}

  private get label(): string {
    this.labelText ??= this.builder.label('churchtools', this.records.churchtools, this.records.churchtools.id);
    return this.labelText;
  }

  /** A field already equal on both sides: remember it as the synced value. */
  inSync(state: FieldState): void {
    this.remember(state.pair, state.comparable.churchtools);
  }

  /** inSync for a field whose comparable `value` is the same on both sides, without its state. */
  remember(pair: PropertyPair, value: string): void {
    this.refreshed[pair.key] = valueHash(value);
  }

  conflict(state: FieldState, reason: ConflictReason): void {
    if (this.donor0(state.pair)) return;
    this.conflicts.push({ change: { field: state.pair.churchtools, oldValue: state.value.churchtools, newValue: state.value.optigem }, reason });
  }

  /** Both set and different, left as they are ("fill empty fields only"). */
  keep(state: FieldState): void {
    this.kept.push({ field: state.pair.churchtools, oldValue: state.value.churchtools, newValue: state.value.optigem });
  }

  /** Carry the value of `from` to the other side, through the mapping and its fallback. */
  flow(state: FieldState, from: SystemId): void {
    const to = otherSystem(from);
    const { pair } = state;
    if (this.donor0(pair)) return;
    const current = state.value[to];
    const translation = translate(pair, from, state.value[from], current);
    if (translation.kind === 'block') {
      blockByFallback(this.builder, pair, from, translation);
      return;
    }
    if (translation.kind === 'skip') {
      this.builder.note({
        action: this.action,
        type: 'skip',
        system: to,
        ctId: this.records.churchtools.id,
        ogId: this.records.optigem.id,
        label: this.label,
        level: 'warning',
        message: skippedByFallback(pair, from, translation),
      });
      return;
    }
    if (canonicalValue(translation.value) === canonicalValue(current)) return;
    const written = comparable(pair, to, translation.value);
    const target = (this.writes[to] ??= { values: {}, changes: [], fpPatch: {} });
    target.values[pair[to]] = translation.value;
    target.changes.push({ field: pair[to], oldValue: current, newValue: translation.value });
    // A fixed fallback can leave the two sides meaning different things: then there is no
    // shared baseline to remember, and the next run compares dates again.
    target.fpPatch[pair.key] = written === state.comparable[from] ? valueHash(written) : null;
  }

  /**
   * Whether `pair` is the donor of a booking on Optigem's "Spender 0" (anonymous money): its
   * empty donor is no gap to fill, and nothing flows either way, so no action re-assigns the
   * money in either ledger. Such a difference is listed (the pre-flight's "listed, never
   * blocking"), not reported as a conflict.
   */
  private donor0(pair: PropertyPair): boolean {
    if (pair.role !== 'donor' || this.records.optigem.properties[OG_BOOKING_FIELDS.donor0] !== true) return false;
    this.builder.note({
      action: this.action,
      type: 'skip',
      system: 'both',
      ctId: this.records.churchtools.id,
      ogId: this.records.optigem.id,
      label: this.label,
      level: 'warning',
      message: { key: 'log.donor0.notWritten', args: { field: pair.churchtools } },
    });
    return true;
  }

  /** Emits one update operation per written side. */
  emitWrites(typeKey: string): void {
    for (const target of ['churchtools', 'optigem'] as const) {
      const planned = this.writes[target];
      if (!planned) continue;
      const record = this.records[target];
      const writes = record.locked || target === 'optigem' || this.builder.job.domain !== 'transaction' ? planned : this.inPlace(record, planned);
      if (!writes) continue;
      if (record.locked) {
        this.builder.note({
          action: this.action,
          type: 'skip',
          system: target,
          ctId: this.records.churchtools.id,
          ogId: this.records.optigem.id,
          label: this.label,
          level: 'warning',
          changes: writes.changes,
          message: { key: 'log.update.locked', args: { fields: writes.changes.map((c) => c.field).join(', ') } },
        });
        continue;
      }
      this.builder.operation(
        {
          op: 'update',
          action: this.action,
          target,
          ct: this.records.churchtools.id,
          og: this.records.optigem.id,
          values: writes.values,
          expectedModifiedAt: record.modifiedAt,
          fpPatch: writes.fpPatch,
          base: recordHash(record),
        },
        {
          action: this.action,
          type: 'update',
          system: target,
          ctId: this.records.churchtools.id,
          ogId: this.records.optigem.id,
          label: this.label,
          level: 'info',
          changes: writes.changes,
          message: { key: typeKey, args: { fields: writes.changes.map((c) => c.field).join(', ') } },
        },
      );
    }
  }

  /**
   * The part of a ChurchTools booking write that its update (PUT) can carry: what it cannot
   * (spouse, waiver; anything without a cost centre) is reported as not updatable in place and
   * left out — or, where the job's action says `rebook`, the booking is reversed and booked anew
   * with all of it. Null when nothing is left to write in place.
   */
  private inPlace(record: SyncRecord, writes: TargetWrites): TargetWrites | null {
    const blocked = notUpdatableInPlace(record.properties, writes.values);
    if (blocked.length === 0) return writes;
    const options = this.builder.job.actions[this.action as 'updateProperties' | 'importProperties'];
    if (options?.rebook === true) {
      this.rebook(record, writes, blocked);
      return null;
    }
    const all = blocked.includes(CT_TRANSACTION_FIELDS.costCenter);
    const out = new Set(all ? Object.keys(writes.values) : blocked);
    this.builder.note({
      action: this.action,
      type: 'skip',
      system: 'churchtools',
      ctId: this.records.churchtools.id,
      ogId: this.records.optigem.id,
      label: this.label,
      level: 'warning',
      changes: writes.changes.filter((c) => out.has(c.field)),
      message: { key: 'log.update.notInPlace', args: { fields: blocked.join(', ') } },
    });
    if (all) return null;
    const values: Record<string, FieldValue> = {};
    for (const field in writes.values) if (!out.has(field)) values[field] = writes.values[field] as FieldValue;
    if (Object.keys(values).length === 0) return null;
    const keys = new Set(this.builder.selected.filter((pair) => out.has(pair.churchtools)).map((pair) => pair.key));
    const fpPatch: Record<string, string | null> = {};
    for (const key in writes.fpPatch) if (!keys.has(key)) fpPatch[key] = writes.fpPatch[key] as string | null;
    return { values, changes: writes.changes.filter((c) => !out.has(c.field)), fpPatch };
  }

  private rebook(record: SyncRecord, writes: TargetWrites, blocked: readonly string[]): void {
    const values: Record<string, FieldValue> = {};
    for (const field of CT_BOOKING_FIELDS) values[field] = record.properties[field] ?? null;
    Object.assign(values, writes.values);
    this.builder.operation(
      { op: 'rebook', action: this.action, target: 'churchtools', ct: this.records.churchtools.id, og: this.records.optigem.id, values, fpPatch: writes.fpPatch },
      {
        action: this.action,
        type: 'update',
        system: 'churchtools',
        ctId: this.records.churchtools.id,
        ogId: this.records.optigem.id,
        label: this.label,
        level: 'warning',
        changes: writes.changes,
        message: { key: 'log.update.rebooked', args: { fields: blocked.join(', ') } },
      },
    );
  }

  /** One entry per reason; `changes` show ChurchTools' value as old and Optigem's as new. */
  emitConflicts(): void {
    if (this.conflicts.length === 0) return;
    for (const reason of ['bothChanged', 'undecidable'] as const) {
      const changes = this.conflicts.filter((c) => c.reason === reason).map((c) => c.change);
      if (changes.length === 0) continue;
      this.builder.note({
        action: this.action,
        type: 'conflict',
        system: 'both',
        ctId: this.records.churchtools.id,
        ogId: this.records.optigem.id,
        label: this.label,
        level: 'warning',
        changes,
        message: { key: `log.conflict.${reason}`, args: { fields: changes.map((c) => c.field).join(', ') } },
      });
    }
  }
}
