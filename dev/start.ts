/**
 * `npm start`: the whole product on one machine. Builds the extension, starts the ChurchTools
 * stand-in with its demo parish (serving the extension under /ccm/optigem-sync/ the way
 * ChurchTools does) and the Optigem bridge on a fresh demo database, and prints where to go.
 * Nothing is pre-configured: the admin creates the connection in the Sync module with the
 * printed bridge URL and token. Ctrl-C stops everything.
 *
 * Every start is a fresh demo: the stand-in keeps its data in memory, so the bridge's demo
 * database is recreated to match (and to print a new token, which the bridge stores only hashed).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { createDemoDatabase, jsonLogger, startBridge } from '../src/bridge/index.ts';
import { startStandIn } from './standin/server.ts';

const root = resolve(import.meta.dirname, '..');
const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

function build(): void {
  if (process.env.SKIP_BUILD === '1') return;
  console.log('Building the extension …');
  const result = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('The build failed; see above. Nothing was started.');
    process.exit(1);
  }
}

async function main(): Promise<void> {
  build();
  const standIn = await startStandIn({ port: port('CT_PORT', 4180), extensionDist: resolve(root, 'dist') });
  const dataDir = resolve(root, '.dev-data');
  mkdirSync(dataDir, { recursive: true });
  const databasePath = resolve(dataDir, 'optigem-demo.sqlite');
  await createDemoDatabase(databasePath, { overwrite: true });
  const bridge = await startBridge({
    port: port('BRIDGE_PORT', 8478),
    databasePath,
    allowedOrigins: [standIn.url],
    logger: process.env.BRIDGE_LOG === '1' ? jsonLogger() : undefined,
  });

  const { username, password, loginToken } = standIn.admin;
  console.log(`
Optigem Sync is running.

  Sync module:    ${standIn.url}/ccm/optigem-sync/
  Sign in as:     ${username} / ${password}   (or open ${standIn.url}/?login_token=${loginToken})

  Optigem bridge: ${bridge.url}
  Bridge token:   ${bridge.tokens?.readWrite ?? '–'}
                  (read-only: ${bridge.tokens?.readOnly ?? '–'})

In the Sync module, create a connection ("Verbindungen") with the bridge URL and token.
Press Ctrl-C to stop.`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping …');
    await Promise.allSettled([bridge.close(), standIn.close()]);
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
