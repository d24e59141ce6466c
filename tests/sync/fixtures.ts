import type { Condition, FieldValues, Job, JobActions, PropertyPair } from '../../src/sync/model.ts';
import { ManualClock, MemoryPairStore, MemorySink, MemorySystem } from '../../src/sync/memory.ts';
import type { EngineContext } from '../../src/sync/engine.ts';

export const CT_IDENTITY = { firstName: 'firstName', lastName: 'lastName', email: 'email', birthday: 'birthday' };
export const OG_IDENTITY = { firstName: 'Vorname', lastName: 'Nachname', email: 'EMail', birthday: 'Geburtsdatum' };
/** The list fields of the real ports (held against them in twin-declarations.test.ts). */
export const CT_LIST_FIELDS: readonly string[] = ['departmentIds'];
export const OG_LIST_FIELDS: readonly string[] = ['Kategorien'];

/** ChurchTools status ids of the spec's example. */
export const STATUS = { member: '1', friend: '2', guest: '3', optigem: '9' } as const;

export const PROPERTY_PAIRS: PropertyPair[] = [
  { key: 'fn', domain: 'person', churchtools: 'firstName', optigem: 'Vorname' },
  { key: 'ln', domain: 'person', churchtools: 'lastName', optigem: 'Nachname' },
  { key: 'em', domain: 'person', churchtools: 'email', optigem: 'EMail' },
  { key: 'bd', domain: 'person', churchtools: 'birthday', optigem: 'Geburtsdatum' },
  { key: 'ci', domain: 'person', churchtools: 'city', optigem: 'Ort' },
  {
    key: 'st',
    domain: 'person',
    churchtools: 'statusId',
    optigem: 'Kategorien',
    mapping: {
      entries: [
        { churchtools: STATUS.member, optigem: '150' },
        { churchtools: STATUS.friend, optigem: '160' },
      ],
      fallback: { kind: 'skip' },
    },
  },
];

export interface World {
  clock: ManualClock;
  ct: MemorySystem;
  og: MemorySystem;
  pairs: MemoryPairStore;
  sink: MemorySink;
  context: EngineContext;
}

export function world(propertyPairs: PropertyPair[] = PROPERTY_PAIRS, extra: Partial<EngineContext> = {}): World {
  const clock = new ManualClock();
  const ct = new MemorySystem('churchtools', CT_IDENTITY, clock, 'optigemId', CT_LIST_FIELDS);
  const og = new MemorySystem('optigem', OG_IDENTITY, clock, null, OG_LIST_FIELDS);
  const pairs = new MemoryPairStore();
  const sink = new MemorySink();
  let n = 0;
  const context: EngineContext = {
    ports: { churchtools: ct, optigem: og },
    pairStore: pairs,
    propertyPairs,
    sink,
    clock,
    newId: () => `exec-${++n}`,
    ...extra,
  };
  return { clock, ct, og, pairs, sink, context };
}

export function ctPerson(first: string, last: string, more: FieldValues = {}): FieldValues {
  return { firstName: first, lastName: last, email: null, birthday: null, city: null, statusId: null, ...more };
}

export function ogPerson(first: string, last: string, more: FieldValues = {}): FieldValues {
  return { Vorname: first, Nachname: last, EMail: null, Geburtsdatum: null, Ort: null, Kategorien: [], ...more };
}

export function job(actions: JobActions, options: { ct?: Condition[]; og?: Condition[]; keys?: string[] } = {}): Job {
  return {
    id: 'job-1',
    name: 'Personen',
    connectionId: 'conn-1',
    domain: 'person',
    actions,
    conditions: { churchtools: options.ct ?? [], optigem: options.og ?? [] },
    propertyPairKeys: options.keys ?? PROPERTY_PAIRS.map((pair) => pair.key),
    autoRun: false,
  };
}

/** The spec's example conditions: members in ChurchTools, category "150: Members" in Optigem. */
export const MEMBERS_ONLY = {
  ct: [{ field: 'statusId', values: [STATUS.member] }],
  og: [{ field: 'Kategorien', values: ['150'] }],
};
