/**
 * The rows of a log as CSV for people: names, labels and formatted values in every column, plus
 * one column of raw changes (JSON of field and stored values) for whoever feeds it to a machine.
 */
import type { CsvCell } from './csv.ts';
import { bookingLabelFor } from './booking-label.ts';
import { actionLabel, entryStateLabel, operationLabel, systemName } from './labels.ts';
import { formatChange, type OptionLookup, type PersonLookup, type ValueFormatOptions } from './values.ts';
import type { Domain, LogEntry, Message, PropertyPair } from '../sync/model.ts';
import { vocabularyDe } from '../messages/vocabulary-de.ts';
import { vocabularyEn } from '../messages/vocabulary-en.ts';
import { localeOf } from './values.ts';

export interface LogCsvContext {
  readonly locale: string;
  readonly domain: Domain;
  readonly lookup?: OptionLookup;
  /** Names of the persons a booking's donor stands for; unknown ones read "Person #237". */
  readonly persons?: PersonLookup;
  /** The connection's property pairs: which Optigem field holds the other value of a conflict. */
  readonly propertyPairs?: readonly PropertyPair[];
  /** The message in the reader's language (the caller owns the message catalogue in use). */
  readonly text: (message: Message, entry: LogEntry) => string;
}

export function logCsvHeader(locale: string): string[] {
  const texts = localeOf(locale) === 'de' ? vocabularyDe : vocabularyEn;
  const csv = texts.executions.csv;
  return [csv.seq, csv.action, csv.operation, csv.system, csv.level, csv.state, csv.label, csv.churchtoolsId, csv.optigemNr, csv.message, csv.changes, csv.error, texts.csvRaw.changes];
}

export function logCsvRow(entry: LogEntry, context: LogCsvContext): CsvCell[] {
  const { locale } = context;
  const levels = (localeOf(locale) === 'de' ? vocabularyDe : vocabularyEn).report.level;
  const options: ValueFormatOptions = { ...(context.lookup ? { lookup: context.lookup } : {}), ...(context.persons ? { persons: context.persons } : {}) };
  return [
    entry.seq,
    actionLabel(context.domain, entry.action, locale),
    operationLabel(entry.type, locale),
    entry.system === 'both' ? (localeOf(locale) === 'de' ? vocabularyDe : vocabularyEn).systems.both : systemName(entry.system),
    levels[entry.level] ?? entry.level,
    entryStateLabel(entry.state, locale),
    bookingLabelFor(entry.label, locale),
    entry.ctId,
    entry.ogId,
    context.text(entry.message, entry),
    entry.changes
      .map((change) => formatChange(entry.system, change, locale, options, context.propertyPairs))
      .map((c) => `${c.field}: ${c.old} → ${c.new}`)
      .join(' | '),
    entry.error ? context.text(entry.error, entry) : '',
    entry.changes.length > 0 ? JSON.stringify(entry.changes.map((c) => ({ field: c.field, old: c.oldValue, new: c.newValue }))) : '',
  ];
}
