import { valueList } from './canonical.ts';
import type { Condition, SyncRecord } from './model.ts';

/** "No conditions set": every record of that system meets them. */
export function hasConditions(conditions: readonly Condition[]): boolean {
  return conditions.length > 0;
}

/**
 * AND across rows, OR within a row; a multi-valued field (Optigem categories) meets a row
 * when any of its values is listed. A range row (a date range) is met by a value inside it;
 * an empty value is inside no range. A row without values cannot be met by anything, which is
 * why job validation rejects it.
 */
export function meetsConditions(record: SyncRecord, conditions: readonly Condition[]): boolean {
  return conditions.every((condition) => {
    const values = valueList(record.properties[condition.field]);
    const range = condition.range;
    if (range) return values.some((value) => (!range.from || value >= range.from) && (!range.to || value <= range.to));
    return values.some((value) => condition.values.includes(value));
  });
}
