import { describe, expect, it } from 'vitest';
import { hasConditions, meetsConditions } from '../../src/sync/conditions.ts';
import type { SyncRecord } from '../../src/sync/model.ts';

const person = (properties: SyncRecord['properties']): SyncRecord => ({ id: '1', properties, modifiedAt: null });

describe('conditions', () => {
  // "Values that you add for different fields must all apply … This is an AND operation."
  it('requires every row to be met (AND across fields)', () => {
    const conditions = [
      { field: 'statusId', values: ['1', '2'] },
      { field: 'familyStatusId', values: ['married'] },
    ];
    expect(meetsConditions(person({ statusId: '1', familyStatusId: 'married' }), conditions)).toBe(true);
    expect(meetsConditions(person({ statusId: '1', familyStatusId: 'single' }), conditions)).toBe(false);
  });

  // "If you want to achieve an OR-operation, you select several values for the same role."
  it('accepts any of the values of one row (OR within a field): members or friends who are married', () => {
    const conditions = [
      { field: 'statusId', values: ['1', '2'] },
      { field: 'familyStatusId', values: ['married'] },
    ];
    expect(meetsConditions(person({ statusId: '2', familyStatusId: 'married' }), conditions)).toBe(true);
    expect(meetsConditions(person({ statusId: '3', familyStatusId: 'married' }), conditions)).toBe(false);
  });

  // "all persons whose 'Categories' field contains the value '150: Members'"
  it('meets a row on a multi-valued field when one of its values is listed (Optigem categories)', () => {
    const conditions = [{ field: 'Kategorien', values: ['150'] }];
    expect(meetsConditions(person({ Kategorien: ['200', '150'] }), conditions)).toBe(true);
    expect(meetsConditions(person({ Kategorien: ['200'] }), conditions)).toBe(false);
    expect(meetsConditions(person({ Kategorien: [] }), conditions)).toBe(false);
  });

  // "By default, these are all people/transactions on both sides."
  it('lets every record through when no conditions are set', () => {
    expect(hasConditions([])).toBe(false);
    expect(meetsConditions(person({}), [])).toBe(true);
  });

  it('compares numbers and booleans by their text, as condition values are stored', () => {
    expect(meetsConditions(person({ statusId: 1 }), [{ field: 'statusId', values: ['1'] }])).toBe(true);
    expect(meetsConditions(person({ isDonation: true }), [{ field: 'isDonation', values: ['true'] }])).toBe(true);
  });

  it('is not met by a record that lacks the field', () => {
    expect(meetsConditions(person({}), [{ field: 'statusId', values: ['1'] }])).toBe(false);
  });
});
