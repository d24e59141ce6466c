/**
 * Runs the ChurchTools stand-in on its own:
 *   npx tsx dev/standin/main.ts [--port N] [--dist dist] [--empty] [--rpm N]
 * Prints the URL and the demo login; Ctrl-C stops it.
 */
import { parseArgs } from 'node:util';
import { startStandIn } from './server.ts';

const HELP = `ChurchTools stand-in: the published ChurchTools API with a demo parish, for trying the extension.

Usage: npx tsx dev/standin/main.ts [options]

  --port N      port to listen on (default 3000; 0 picks a free one)
  --dist DIR    serve the built extension from DIR (e.g. dist) under /ccm/optigem-sync/
  --empty       start without the demo parish
  --rpm N       answer 429 beyond N requests per minute, like a rate-limited server
  -h, --help    show this help
`;

let parsed;
try {
  parsed = parseArgs({
    options: {
      port: { type: 'string', default: '3000' },
      dist: { type: 'string' },
      empty: { type: 'boolean', default: false },
      rpm: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (error) {
  // An unknown or malformed option: say which and how it is used, not a stack trace.
  console.error(`${error instanceof Error ? error.message : String(error)}\n\n${HELP}`);
  process.exit(2);
}
const { values } = parsed;
if (values.help) {
  console.log(HELP);
  process.exit(0);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid --port ${values.port}`);
  process.exit(2);
}

const standIn = await startStandIn({
  port,
  data: values.empty ? 'empty' : 'demo',
  extensionDist: values.dist,
  requestsPerMinute: values.rpm ? Number(values.rpm) : undefined,
});

console.log(`ChurchTools stand-in läuft auf ${standIn.url}`);
console.log(`  API:        ${standIn.url}/api`);
console.log(`  Erweiterung: ${standIn.url}/ccm/optigem-sync/${values.dist ? '' : '  (nicht gebaut: --dist dist angeben)'}`);
console.log(`  Neues Format: ${standIn.url}/extension-host/optigem-sync/  (importiert /extensions/optigem-sync/extension.es.js)`);
console.log(`  Login:      ${standIn.admin.username} / ${standIn.admin.password}`);
console.log(`  Login-Token: ${standIn.admin.loginToken}`);
console.log(`  Direkt:     ${standIn.url}/?login_token=${standIn.admin.loginToken}`);
console.log('Beenden mit Strg-C.');

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  void standIn.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
