/**
 * Runs the ChurchTools stand-in on its own:
 *   npx tsx dev/standin/main.ts [--port N] [--dist dist] [--empty] [--rpm N]
 * Prints the URL and the demo login; Ctrl-C stops it.
 */
import { parseArgs } from 'node:util';
import { startStandIn } from './server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '3000' },
    dist: { type: 'string' },
    empty: { type: 'boolean', default: false },
    rpm: { type: 'string' },
  },
});

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
