/**
 * Renders the engine's messages (i18n key + arguments) as plain text outside Vue: for the CLI,
 * the nightly runner's report and the problems of a job document. Uses the extension's own
 * translations so a message reads the same in the UI and on the command line. Browser-safe.
 */
import { engineDe, engineEn } from '../messages/engine.ts';
import { actionLabel } from '../format/labels.ts';
import { formatArgs, type PersonLookup } from '../format/values.ts';
import type { Domain, EntryAction, Message, SystemId } from '../sync/model.ts';

export type TextLocale = 'de' | 'en';

type Tree = { readonly [key: string]: string | Tree };

const TEXTS: Readonly<Record<TextLocale, Tree>> = { de: engineDe, en: engineEn };

function lookup(tree: Tree, key: string): string | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

function interpolate(template: string, args: Readonly<Record<string, unknown>> | undefined): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = args?.[name];
    return value === undefined ? whole : String(value);
  });
}

/**
 * The message as text, its arguments as people read them (src/format); `system` says whose field
 * names a log entry's message lists; `persons` names the person ids a message carries (a donor).
 * A key without a translation still says what it is.
 */
export function formatMessage(message: Message, locale: TextLocale = 'en', system?: SystemId | 'both', domain: Domain = 'person', persons?: PersonLookup): string {
  const template = lookup(TEXTS[locale], message.key);
  const side = system === 'both' ? 'churchtools' : system;
  if (template !== undefined) {
    const text = interpolate(template, formatArgs(message.args, locale, side, { action: (action) => actionLabel(domain, action, locale), ...(persons ? { persons } : {}) }));
    // The views fold the original error text away under "Technische Details"; plain text keeps it last.
    const detail = message.args?.['detail'];
    return detail !== undefined && !template.includes('{detail}') ? `${text} [${String(detail)}]` : text;
  }
  // Port errors carry codes the translations do not list one by one; their detail says enough.
  const detail = message.args?.['detail'];
  if (message.key.startsWith('error.') && detail !== undefined) {
    return interpolate(lookup(TEXTS[locale], 'error.generic') ?? '{detail}', { detail: `${String(detail)} (${message.key})` });
  }
  const args = message.args && Object.keys(message.args).length > 0 ? ` ${JSON.stringify(message.args)}` : '';
  return `${message.key}${args}`;
}

/** An action's name as admins know it from ChurchTools' Sync module, in the job's domain. */
export function actionName(action: EntryAction, locale: TextLocale = 'en', domain: Domain = 'person'): string {
  return actionLabel(domain, action, locale);
}

/** The locale that `LANG`/`LC_ALL`/`LC_MESSAGES` ask for: German for `de*`, else English. */
export function localeFromEnv(env: Readonly<Record<string, string | undefined>>): TextLocale {
  const lang = env['LC_ALL'] || env['LC_MESSAGES'] || env['LANG'] || '';
  return lang.toLowerCase().startsWith('de') ? 'de' : 'en';
}
