// Values as people read them, in the UI's language, with the names of ids from the options
// store ("1" → "Mitglied", "150" → "150: Mitglieder", "8000" → "8000 Spenden") and persons from
// the records the records store has read ("237" → "Bauer, Emma (#237)"). The formatting itself
// is src/format's.
import { useI18n } from 'vue-i18n';
import { formatValue, personsFromRecords, type PersonLookup } from '../../format/values.ts';
import { PERSON_GENDER_FIELD } from '../../optigem/fields.ts';
import type { Domain, FieldValue, PropertyPair, SystemId } from '../../sync/model.ts';
import { useOptionsStore, type FinanceScope } from '../stores/options.ts';
import { isEnumerated, optionSources } from '../stores/property-pairs.ts';
import { useRecordsStore } from '../stores/records.ts';
import { VALUE_NAME_SOURCES } from '../services/fields.ts';

const OPTIGEM_GENDER_FIELD = PERSON_GENDER_FIELD.gender;

/** Persons of a connection by id, from the records store's last read (nothing is read here). */
export function usePersonLookup(connectionId: () => string | undefined): PersonLookup {
  const records = useRecordsStore();
  return (system, id) => {
    const current = connectionId();
    const data = current ? records.data[current] : undefined;
    return data ? personsFromRecords(data)(system, id) : undefined;
  };
}

export function useValueFormatter(connectionId: () => string | undefined, scope: () => FinanceScope | undefined = () => undefined) {
  const options = useOptionsStore();
  const persons = usePersonLookup(connectionId);
  const { t, locale } = useI18n();
  return (system: SystemId, field: string, value: FieldValue | undefined): string =>
    formatValue(system, field, value, locale.value, {
      empty: t('common.emptyValue'),
      persons,
      // Optigem's gender codes are named by src/format in the UI's language (the store's names are German).
      lookup: (side, name, id) => (side === 'optigem' && name === OPTIGEM_GENDER_FIELD ? undefined : options.label(side, name, id, connectionId(), scope() ?? {})),
    });
}

/**
 * Loads what names a job's values: the option lists of its enumerated property pairs and, for
 * bookings, the accounts, cost centres and projects of its fiscal year and both systems' persons
 * (one read each, cached by the records store; donors are persons).
 */
export function useValueNames() {
  const options = useOptionsStore();
  const records = useRecordsStore();
  return async (connectionId: string, propertyPairs: readonly PropertyPair[], domain: Domain, scope: FinanceScope = {}): Promise<void> => {
    const sources = new Set(propertyPairs.filter(isEnumerated).flatMap((p) => Object.values(optionSources(p))));
    if (domain === 'transaction') for (const side of Object.values(VALUE_NAME_SOURCES)) for (const source of Object.values(side)) sources.add(source);
    await Promise.all([
      ...[...sources].map((s) => (s ? options.ensure(s, connectionId, scope) : undefined)),
      domain === 'transaction' ? records.load(connectionId) : undefined,
    ]);
  };
}
