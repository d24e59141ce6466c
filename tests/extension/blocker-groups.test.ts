// @vitest-environment happy-dom
// The job-run view's blockers: every blocker at once, grouped, a count per group, a way to fix each.
import { describe, expect, it } from 'vitest';
import BlockerGroups from '../../src/extension/components/BlockerGroups.vue';
import type { Message } from '../../src/sync/model.ts';
import { mountWithApp } from './ui-mount.ts';

const BLOCKERS: Message[] = [
  { key: 'blocker.preflight.donorNotLinked', args: { system: 'optigem', donor: '1132', booking: '2026-01-01 · 50,00 €', bookings: 10 } },
  { key: 'blocker.preflight.donorNotLinked', args: { system: 'churchtools', donor: '237', booking: 'Beleg 1', bookings: 2 } },
  { key: 'blocker.preflight.unknownReference', args: { system: 'churchtools', field: 'account', value: '8100', count: 2, example: 'Beleg A', fiscalYear: '2026' } },
  { key: 'blocker.unmappedValue', args: { field: 'statusId', value: '4' } },
];

describe('BlockerGroups', () => {
  it('groups every blocker with a count and a direct way to fix it', () => {
    const wrapper = mountWithApp(BlockerGroups, { props: { blockers: BLOCKERS, jobId: 'j1', connectionId: 'c1', domain: 'transaction' } });
    const groups = wrapper.findAll('[data-group]').map((g) => [g.attributes('data-group'), g.find('[data-test="group-count"]').text(), g.findAll('li').length]);
    expect(groups).toEqual([
      ['mapping', '1', 1],
      ['donors', '12', 2],
      ['accounts', '1', 1],
    ]);
    const donors = wrapper.find('[data-group="donors"]');
    expect(donors.find('h4').text()).toContain('Spender ohne Personen-Paar');
    expect(donors.findAll('a').map((a) => [a.text(), a.attributes('href')])).toEqual([
      ['Von Hand verknüpfen', '/person-check?connection=c1'],
      ['Von Hand verknüpfen', '/person/237?connection=c1'],
    ]);
    expect(wrapper.find('[data-group="mapping"] a').text()).toBe('Eigenschaften-Paare öffnen');
    expect(wrapper.find('[data-group="mapping"] li').text()).toContain('Der Wert „4“ von Status');
    expect(wrapper.find('[data-group="accounts"] li').text()).toContain('keine Nummer 8100');
  });
});
