/**
 * Field-level work for one pair of records: which selected properties differ, and the writes
 * that carry a value from one side to the other (through the value mapping, with fallbacks).
 * Used by "link & unify" and by the three maintenance actions.
 */
import { canonicalValue } from './canonical.ts';
import { valueHash } from './fingerprint.ts';
import { comparable, translate } from './mapping.ts';
import type { ActionId, FieldChange, FieldValue, PropertyPair, SyncRecord, SystemId } from './model.ts';
import { otherSystem } from './model.ts';
import type { PlanBuilder } from './plan-builder.ts';

/** Both sides changed since the last sync, or no way to tell which value is newer. */
export type ConflictReason = 'bothChanged' | 'undecidable';

export interface FieldState {
  readonly pair: PropertyPair;
  readonly value: Readonly<Record<SystemId, FieldValue>>;
  /** Both sides in ChurchTools' terms; equal means "in sync". */
  readonly comparable: Readonly<Record<SystemId, string>>;
}

export function fieldStates(pairs: readonly PropertyPair[], ct: SyncRecord, og: SyncRecord): FieldState[] {
  return pairs.map((pair) => {
    const value = { churchtools: ct.properties[pair.churchtools] ?? null, optigem: og.properties[pair.optigem] ?? null };
    return {
      pair,
      value,
      comparable: {
        churchtools: comparable(pair, 'churchtools', value.churchtools),
        optigem: comparable(pair, 'optigem', value.optigem),
      },
    };
  });
}

/** Which record was modified later, by each system's own clock; null when that cannot be told. */
export function newerSide(ct: SyncRecord, og: SyncRecord): SystemId | null {
  const a = ct.modifiedAt === null ? Number.NaN : Date.parse(ct.modifiedAt);
  const b = og.modifiedAt === null ? Number.NaN : Date.parse(og.modifiedAt);
  if (Number.isNaN(a) || Number.isNaN(b) || a === b) return null;
  return a > b ? 'churchtools' : 'optigem';
}

interface TargetWrites {
  readonly values: Record<string, FieldValue>;
  readonly changes: FieldChange[];
  readonly fpPatch: Record<string, string | null>;
}

/** Collects the writes, conflicts and refreshed baselines for one pair, then emits them. */
export class PairWork {
  private readonly writes: Record<SystemId, TargetWrites> = {
    churchtools: { values: {}, changes: [], fpPatch: {} },
    optigem: { values: {}, changes: [], fpPatch: {} },
  };
  readonly refreshed: Record<string, string | null> = {};
  readonly conflicts: { readonly change: FieldChange; readonly reason: ConflictReason }[] = [];
  readonly kept: FieldChange[] = [];

  constructor(
    private readonly builder: PlanBuilder,
    private readonly action: ActionId,
    readonly records: Readonly<Record<SystemId, SyncRecord>>,
  ) {}

  private get label(): string {
    return this.builder.label('churchtools', this.records.churchtools, this.records.churchtools.id);
  }

  /** A field already equal on both sides: remember it as the synced value. */
  inSync(state: FieldState): void {
    this.refreshed[state.pair.key] = valueHash(state.comparable.churchtools);
  }

  conflict(state: FieldState, reason: ConflictReason): void {
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
    const current = state.value[to];
    const translation = translate(pair, from, state.value[from], current);
    if (translation.kind === 'block') {
      this.builder.blocker(
        {
          key: translation.reason === 'unmapped' ? 'blocker.unmappedValue' : 'blocker.ambiguousValue',
          args: { system: from, field: pair[from], value: translation.sourceValue, propertyPair: pair.key },
        },
        `${pair.key}|${from}|${translation.sourceValue}`,
      );
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
        message: {
          key: translation.reason === 'unmapped' ? 'log.unmappedSkipped' : 'log.ambiguousSkipped',
          args: { field: pair[from], value: translation.sourceValue },
        },
      });
      return;
    }
    if (canonicalValue(translation.value) === canonicalValue(current)) return;
    const written = comparable(pair, to, translation.value);
    const target = this.writes[to];
    target.values[pair[to]] = translation.value;
    target.changes.push({ field: pair[to], oldValue: current, newValue: translation.value });
    // A fixed fallback can leave the two sides meaning different things: then there is no
    // shared baseline to remember, and the next run compares dates again.
    target.fpPatch[pair.key] = written === state.comparable[from] ? valueHash(written) : null;
  }

  /** Emits one update operation per written side. */
  emitWrites(typeKey: string): void {
    for (const target of ['churchtools', 'optigem'] as const) {
      const writes = this.writes[target];
      if (writes.changes.length === 0) continue;
      const record = this.records[target];
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

  /** One entry per reason; `changes` show ChurchTools' value as old and Optigem's as new. */
  emitConflicts(): void {
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
