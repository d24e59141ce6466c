import { valueList } from './canonical.ts';
import type { Condition, SyncRecord } from './model.ts';

/** "No conditions set": every record of that system meets them. */
export function hasConditions(conditions: readonly Condition[]): boolean {
  return conditions.length > 0;
}

/**
 * AND across rows, OR within a row; a multi-valued field (Optigem categories) meets a row
 * when any of its values is listed. A row without values cannot be met by anything, which is
 * why job validation rejects it.
 */
export function meetsConditions(record: SyncRecord, conditions: readonly Condition[]): boolean {
  return conditions.every((condition) => {
    const values = valueList(record.properties[condition.field]);
    return values.some((value) => condition.values.includes(value));
  });
}
