/**
 * Issue #13 §2: the in-memory twins stand in for the real ports, so they must declare what the
 * real ports declare (identity fields, list fields) and hold values in the forms the real ports
 * produce. Every twin the tests use is checked here, so none can drift from production again.
 */
import { describe, expect, it } from 'vitest';
import { createChurchTools } from '../../src/churchtools/index.ts';
import { createNodeClient } from '../../src/churchtools/node-client.ts';
import { personToRecord as ctPersonToRecord, recordValuesToBody } from '../../src/churchtools/persons/person-fields.ts';
import { BridgeClient, OptigemSystemPort } from '../../src/optigem/index.ts';
import { OPTIGEM_PERSON_FIELDS } from '../../src/optigem/fields.ts';
import { valuesToPatch } from '../../src/optigem/system-port.ts';
import type { SystemId } from '../../src/sync/model.ts';
import type { SystemPort } from '../../src/sync/ports.ts';
import { createTwins } from '../extension/ui-twins.ts';
import { STATUS, ctPerson, ogPerson, world } from './fixtures.ts';
import { transactionWorld } from './transaction-fixtures.ts';

/** The production ports; nothing is requested (the addresses are never called). */
const REAL: Record<SystemId, SystemPort> = {
  churchtools: createChurchTools(createNodeClient('http://127.0.0.1:9', 'never-used')).persons,
  optigem: new OptigemSystemPort(new BridgeClient({ baseUrl: 'http://127.0.0.1:9', token: 'never-used' })),
};

async function twins(): Promise<{ name: string; ports: Record<SystemId, SystemPort> }[]> {
  const persons = world();
  const transactions = await transactionWorld();
  const ui = createTwins();
  return [
    { name: 'tests/sync/fixtures.ts world()', ports: { churchtools: persons.ct, optigem: persons.og } },
    { name: 'tests/sync/transaction-fixtures.ts transactionWorld()', ports: { churchtools: transactions.ct, optigem: transactions.og } },
    { name: 'tests/extension/ui-twins.ts createTwins()', ports: { churchtools: ui.ct, optigem: ui.og } },
  ];
}

describe('the in-memory twins declare what the real ports declare', () => {
  it('the real ChurchTools person port says which of its fields are lists', () => {
    expect(REAL.churchtools.listFields).toEqual(['departmentIds']);
    expect(REAL.optigem.listFields).toEqual(['Kategorien']);
  });

  for (const system of ['churchtools', 'optigem'] as const) {
    it(`every ${system} twin has the real port's identity fields and list fields`, async () => {
      for (const twin of await twins()) {
        const port = twin.ports[system];
        expect({ twin: twin.name, identity: port.identity, listFields: [...(port.listFields ?? [])].sort() }).toEqual({
          twin: twin.name,
          identity: REAL[system].identity,
          listFields: [...(REAL[system].listFields ?? [])].sort(),
        });
      }
    });
  }

  // Field types: a twin record holds each field in the form the real port reads it back.
  it('a ChurchTools twin person holds its values as the real port reads them after writing them', () => {
    const values = ctPerson('Anna', 'Schmidt', { email: 'anna@example.org', birthday: '1980-02-03', city: 'Köln', statusId: STATUS.member, departmentIds: ['1', '2'] });
    const body = recordValuesToBody(values);
    expect(body.departmentIds).toEqual([1, 2]);
    expect(ctPersonToRecord({ id: 7, ...body }).properties).toEqual(values);
    for (const [field, value] of Object.entries(values)) {
      expect({ field, list: Array.isArray(value) }).toEqual({ field, list: REAL.churchtools.listFields?.includes(field) ?? false });
    }
  });

  it('an Optigem twin person has only fields the bridge knows, lists exactly where the real port has them', () => {
    const values = ogPerson('Anna', 'Schmidt', { EMail: 'anna@example.org', Geburtsdatum: '1980-02-03', Ort: 'Köln', Kategorien: ['150', '300'] });
    expect(valuesToPatch(values)).toMatchObject({ firstName: 'Anna', categoryIds: [150, 300], birthday: '1980-02-03' });
    const known = new Set(Object.values(OPTIGEM_PERSON_FIELDS));
    for (const [field, value] of Object.entries(values)) {
      expect({ field, known: known.has(field), list: Array.isArray(value) }).toEqual({ field, known: true, list: REAL.optigem.listFields?.includes(field) ?? false });
    }
  });
});
