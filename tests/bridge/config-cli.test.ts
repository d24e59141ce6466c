import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HELP, parseCli } from '../../src/bridge/cli.ts';
import { loadConfig, overridesFromEnv } from '../../src/bridge/config.ts';
import { TEST_STORE } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'bridge-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('configuration', () => {
  it('layers defaults, the JSON file, the environment and the command line', () => {
    const file = join(dir, 'bridge.json');
    writeFileSync(file, JSON.stringify({ port: 9000, databasePath: 'data/optigem.sqlite', allowedOrigins: ['https://a.church.tools'], archiveCategoryId: 998 }));
    const config = loadConfig({
      file,
      env: overridesFromEnv({ OPTIGEM_BRIDGE_PORT: '9100', OPTIGEM_BRIDGE_ALLOWED_ORIGINS: 'https://b.church.tools, https://c.church.tools' }),
      flags: { port: '9200' },
    });
    expect(config.port).toBe(9200);
    expect(config.host).toBe('127.0.0.1');
    expect(config.allowedOrigins).toEqual(['https://b.church.tools', 'https://c.church.tools']);
    expect(config.databasePath).toBe(join(dir, 'data/optigem.sqlite'));
    expect(config.archiveCategoryId).toBe(998);
  });

  it('refuses a wildcard or a URL with a path as allowed origin', () => {
    expect(() => loadConfig({ env: {}, flags: { origins: ['*'] } })).toThrow(/allowedOrigins/);
    expect(() => loadConfig({ env: {}, flags: { origins: ['https://x.church.tools/app'] } })).toThrow(/exact origin/);
  });

  it('reads the ODBC store settings, with its files next to the config file and --store switching the kind', () => {
    const file = join(dir, 'odbc.json');
    writeFileSync(file, JSON.stringify({ store: { kind: 'sqlite', connection: 'Optigem', workgroupFile: 'optigemxp.mdw', passwordFile: 'pw.txt', readOnly: true }, stateDatabasePath: 'state.sqlite' }));
    const config = loadConfig({ file, env: {}, flags: { store: 'odbc' } });
    expect(config.store).toMatchObject({ kind: 'odbc', connection: 'Optigem', workgroupFile: join(dir, 'optigemxp.mdw'), passwordFile: join(dir, 'pw.txt'), readOnly: true, writeBookings: false });
    expect(() => loadConfig({ env: {}, flags: { store: 'oracle' } })).toThrow(/store/);
  });

  it('takes a nightly ChurchTools pace up to ChurchTools\' limit of 600 requests per minute', () => {
    const nightly = (pace: string) => loadConfig({ env: overridesFromEnv({ OPTIGEM_BRIDGE_CT_PACE: pace }), flags: {} }).nightly;
    expect(nightly('450').requestsPerMinute).toBe(450);
    expect(() => nightly('900')).toThrow(/requestsPerMinute/);
    expect(() => nightly('schnell')).toThrow(/requestsPerMinute/);
  });

  it('refuses unknown keys in the config file', () => {
    const file = join(dir, 'typo.json');
    writeFileSync(file, JSON.stringify({ prot: 1 }));
    expect(() => loadConfig({ file, env: {}, flags: {} })).toThrow(/prot/);
  });
});

describe('command line', () => {
  it('documents every option and environment variable in --help', () => {
    expect(parseCli(['--help'], {}).command).toBe('help');
    for (const word of ['serve', 'demo', 'token', '--port', '--host', '--origin', '--database', '--tls-cert', '--tls-key', '--token-file', '--config', 'OPTIGEM_BRIDGE_ALLOWED_ORIGINS', '127.0.0.1', 'doctor', '--json', 'odbc']) {
      expect(HELP).toContain(word);
    }
  });

  it('rejects unknown commands and flags', () => {
    expect(() => parseCli(['fly'], {})).toThrow(/Unknown command/);
    expect(() => parseCli(['serve', '--verbose'], {})).toThrow();
  });

  // The command line opens its own SQLite store, the same in both driver passes: run it once.
  it.skipIf(TEST_STORE === 'odbc')('serves a freshly created demo database, printing its URL and the tokens once', async () => {
    const database = join(dir, 'demo.sqlite');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/bridge/main.ts', 'serve', '--create-demo', '--database', database, '--port', '0'], {
      cwd: join(import.meta.dirname, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`bridge did not start: ${stderr}`)), 15_000);
        child.stderr.on('data', () => {
          if (/read-only:\s+\S+/.test(stderr)) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.once('exit', (code) => reject(new Error(`bridge exited with ${code}: ${stderr}`)));
      });
      const url = /listening on (\S+)/.exec(stderr)?.[1];
      const token = /read-write:\s+(\S+)/.exec(stderr)?.[1];
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${url}/v1/meta`, { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
