// English UI strings. Same keys as de.ts (typed against it; tests/extension/i18n.test.ts checks
// the key sets at run time too).
import { engineEn } from '../../messages/engine.ts';
import { uiEn } from './ui-en.ts';
import type { MessageSchema } from './de.ts';

const en: MessageSchema = {
  ...engineEn,
  ...uiEn,
  app: {
    title: 'Optigem Sync',
    navLabel: 'Sync module sections',
    version: 'Version {version}',
  },
  nav: {
    overview: 'Overview',
    connections: 'Connections',
    jobs: 'Jobs',
    executions: 'Executions',
    pairs: 'Pairs',
    personCheck: 'Check person',
  },
  views: {
    overview: { title: 'Overview' },
    connections: { title: 'Connections' },
    jobs: { title: 'Jobs' },
    executions: { title: 'Executions' },
    pairs: { title: 'Pairs' },
    personCheck: { title: 'Check person' },
    notFound: { title: 'Page not found', back: 'Back to the overview' },
    admin: { title: 'Optigem Sync: settings' },
  },
};

export default en;
