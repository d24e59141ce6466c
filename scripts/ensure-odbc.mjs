#!/usr/bin/env node
// Makes sure the ODBC bridge tests can run: unixODBC, its headers and Debian's SQLite ODBC driver
// (`Driver=SQLite3`), and a built `odbc` package.
//
// Why here and not in `npm ci`: `odbc` is an optional dependency (a Linux or demo install never
// needs it), and npm skips a failed optional dependency silently. On a fresh machine `npm ci`
// runs before anything installed unixODBC's headers, so `odbc` is missing afterwards; this script
// (run as `pretest`, after ensure-chromium) installs the system packages the way ensure-chromium
// does and then rebuilds `odbc` from the version the lockfile pins, leaving the lockfile as it is.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';

const PACKAGES = ['unixodbc', 'unixodbc-dev', 'libsqliteodbc'];
const HEADER = '/usr/include/sql.h';
const DRIVER_INI = '/etc/odbcinst.ini';

function log(message) {
  console.log(`[ensure-odbc] ${message}`);
}

function fail(message) {
  console.error(`[ensure-odbc] ${message}`);
  console.error(
    '[ensure-odbc] The ODBC bridge tests need unixODBC and the SQLite ODBC driver. Install them by hand with\n' +
      `  apt-get update && apt-get install -y ${PACKAGES.join(' ')}\n` +
      'as root, then run `npm rebuild odbc` and the tests again.',
  );
  process.exit(1);
}

function run(command, args, options = {}) {
  log(`running: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    // Non-interactive: CI has no standard input, and a debconf prompt would hang the run.
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    ...options,
  });
  if (result.error) fail(`could not start ${command}: ${result.error.message}`);
  if (result.status !== 0) fail(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

function systemReady() {
  if (!existsSync(HEADER) || !existsSync(DRIVER_INI)) return false;
  return /^\[SQLite3\]/m.test(readFileSync(DRIVER_INI, 'utf8'));
}

function odbcLoads() {
  const probe = spawnSync(process.execPath, ['-e', "require('odbc')"], { encoding: 'utf8' });
  return probe.status === 0;
}

if (systemReady()) {
  log(`found ${HEADER} and the SQLite3 ODBC driver`);
} else {
  log(`unixODBC or the SQLite ODBC driver is missing; installing Debian's ${PACKAGES.join(', ')}`);
  if (process.platform !== 'linux') fail(`cannot install automatically on ${process.platform}`);
  if (typeof process.getuid === 'function' && process.getuid() !== 0) fail('not running as root, so apt-get cannot install');
  const which = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' });
  if (which.status !== 0) fail('apt-get is not available on this machine (not Debian/Ubuntu?)');
  run('apt-get', ['-o', 'DPkg::Lock::Timeout=300', 'update']);
  // Wait (up to 5 min) instead of failing while another apt/dpkg process holds the lock.
  run('apt-get', ['-o', 'DPkg::Lock::Timeout=300', 'install', '-y', ...PACKAGES]);
  if (!systemReady()) fail(`apt-get finished, but ${HEADER} or the SQLite3 driver entry in ${DRIVER_INI} is still missing`);
}

if (odbcLoads()) {
  log('the odbc package loads');
  process.exit(0);
}

const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8'));
const version = lock.packages?.['node_modules/odbc']?.version;
if (typeof version !== 'string') fail('package-lock.json pins no odbc version');
const require = createRequire(import.meta.url);
let installed = false;
try {
  require.resolve('odbc/package.json');
  installed = true;
} catch {
  installed = false;
}
// A package whose build failed during `npm ci` is absent; one that is present but does not load
// was built against missing headers. --no-save keeps package.json and the lockfile untouched.
if (installed) run('npm', ['rebuild', 'odbc']);
else run('npm', ['install', '--no-save', '--no-audit', '--no-fund', `odbc@${version}`]);
if (!odbcLoads()) fail(`odbc@${version} still does not load after building it`);
log(`built odbc@${version}`);
