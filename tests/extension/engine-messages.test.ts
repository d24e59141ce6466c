import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { messages } from '../../src/extension/i18n/index.ts';
import { PERSON_ACTIONS } from '../../src/sync/model.ts';

/** Every message key written literally in the engine, e.g. 'log.create.created'. */
function engineKeys(): string[] {
  const keys = new Set<string>();
  const sources = [
    ...readdirSync('src/sync').map((file) => `src/sync/${file}`),
    // Ports write the messages of removal outcomes and pre-flight problems.
    ...readdirSync('src/churchtools/transactions').map((file) => `src/churchtools/transactions/${file}`),
    ...readdirSync('src/optigem').map((file) => `src/optigem/${file}`),
  ];
  for (const path of sources) {
    const source = readFileSync(path, 'utf8');
    for (const match of source.matchAll(/'((?:log|blocker|validation|refusal|error|preflight)\.[a-zA-Z.]+)'/g)) keys.add(match[1] as string);
  }
  for (const reason of ['bothChanged', 'undecidable']) keys.add(`log.conflict.${reason}`);
  for (const reason of ['changed', 'candidateGone', 'candidatePaired']) keys.add(`log.create.decisionOutdated.${reason}`);
  for (const action of [...PERSON_ACTIONS, 'restore', 'pairs', 'preflight']) keys.add(`action.${action}`);
  return [...keys];
}

function lookup(tree: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), tree);
}

describe('engine messages', () => {
  it('finds the engine\'s message keys (so the check below cannot pass vacuously)', () => {
    expect(engineKeys().length).toBeGreaterThan(30);
  });

  for (const locale of ['de', 'en'] as const) {
    it(`translates every message the engine can write, in ${locale}`, () => {
      const missing = engineKeys().filter((key) => typeof lookup(messages[locale], key) !== 'string');
      expect(missing).toEqual([]);
    });
  }
});
