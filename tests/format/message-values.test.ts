import { describe, expect, it } from 'vitest';
import { formatArgs } from '../../src/format/values.ts';

// "Der Wert „4“ von Status ist nicht zugeordnet": a value in a message is named like every other
// value the admin sees, on the system the message says it comes from.
describe('values inside messages', () => {
  const names = (system: string, field: string, value: unknown) => `${system}:${field}:${String(value)}→name`;

  it('names a skipped value by the system the message names, not the side it was logged on', () => {
    const args = formatArgs({ field: 'statusId', value: '4', system: 'churchtools' }, 'de', 'optigem', { value: names });
    expect(args['value']).toBe('churchtools:statusId:4→name');
    expect(args['system']).toBe('ChurchTools');
  });

  it('leaves a value alone when the message does not say whose it is (it could name the wrong record)', () => {
    expect(formatArgs({ field: 'statusId', value: '4' }, 'de', 'optigem', { value: names })['value']).toBe('4');
  });

  it('names a donor value as a person when only persons are known', () => {
    const args = formatArgs({ field: 'donor', value: '1132', system: 'optigem' }, 'en', 'churchtools', { persons: () => ({ lastName: 'von Buelow', firstName: 'Michael' }) });
    expect(args['value']).toBe('von Buelow, Michael (#1132)');
  });
});
