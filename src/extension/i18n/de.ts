// German UI strings: the default locale (the users are German churches). The Sync vocabulary
// follows ChurchTools' own Sync module (Verbindung, Auftrag, Ausführung, Paar …), see DESIGN.md §2.
// Keys must match en.ts exactly (tests/extension/i18n.test.ts checks it).
// vue-i18n treats { } @ $ | as syntax: write them as {'{'} etc. if ever needed.
import { engineDe } from '../../messages/engine.ts';
import { uiDe } from './ui-de.ts';
const de = {
  ...engineDe,
  ...uiDe,
  app: {
    title: 'Optigem-Sync',
    navLabel: 'Bereiche des Sync-Moduls',
    version: 'Version {version}',
  },
  nav: {
    overview: 'Übersicht',
    connections: 'Verbindungen',
    jobs: 'Aufträge',
    executions: 'Ausführungen',
    pairs: 'Paare',
    personCheck: 'Person prüfen',
  },
  views: {
    overview: { title: 'Übersicht' },
    connections: { title: 'Verbindungen' },
    jobs: { title: 'Aufträge' },
    executions: { title: 'Ausführungen' },
    pairs: { title: 'Paare' },
    personCheck: { title: 'Person prüfen' },
    notFound: { title: 'Seite nicht gefunden', back: 'Zur Übersicht' },
    admin: { title: 'Optigem-Sync: Einstellungen' },
  },
};

export type MessageSchema = typeof de;
export default de;
