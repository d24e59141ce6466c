#!/usr/bin/env node
// Makes sure Debian's Chromium is installed at /usr/bin/chromium for the end-to-end tests.
//
// Why Debian's package and not a browser download: the machines (developers and CI) reach the
// npm registry and Debian's archive only, so tools that fetch their own browser build fail.
// playwright-core drives whatever Chromium we point it at.
//
// Runs as `pretest`. Installs with apt-get when missing (we run as root); stops with a clear
// message when that is impossible. Never downloads anything else.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const CHROMIUM = '/usr/bin/chromium';

function log(message) {
  console.log(`[ensure-chromium] ${message}`);
}

function fail(message) {
  console.error(`[ensure-chromium] ${message}`);
  console.error(
    '[ensure-chromium] The end-to-end tests need Chromium at /usr/bin/chromium. Install it by hand with\n' +
      '  apt-get update && apt-get install -y chromium\n' +
      'as root, then run the tests again.',
  );
  process.exit(1);
}

function run(command, args) {
  log(`running: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    // Non-interactive: CI has no standard input, and a debconf prompt would hang the run.
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.error) fail(`could not start ${command}: ${result.error.message}`);
  if (result.status !== 0) fail(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

if (existsSync(CHROMIUM)) {
  log(`found ${CHROMIUM}`);
  process.exit(0);
}

log(`${CHROMIUM} is missing; installing Debian's chromium package`);
if (process.platform !== 'linux') fail(`cannot install automatically on ${process.platform}`);
if (typeof process.getuid === 'function' && process.getuid() !== 0) fail('not running as root, so apt-get cannot install');
const which = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' });
if (which.status !== 0) fail('apt-get is not available on this machine (not Debian/Ubuntu?)');

run('apt-get', ['-o', 'DPkg::Lock::Timeout=300', 'update']);
// Wait (up to 5 min) instead of failing while another apt/dpkg process holds the lock.
run('apt-get', ['-o', 'DPkg::Lock::Timeout=300', 'install', '-y', 'chromium']);

if (!existsSync(CHROMIUM)) fail(`apt-get finished, but ${CHROMIUM} still does not exist`);
log(`installed ${CHROMIUM}`);
