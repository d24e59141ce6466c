/**
 * The CLI against the ChurchTools stand-in and a real bridge on a temporary demo database, both
 * over real HTTP. `cli()` runs `main()` in-process with captured stdout/stderr and its own env.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandIn, type StandIn } from '../../dev/standin/server.ts';
import { STATUS_FREUND, STATUS_MITGLIED, STATUS_OPTIGEM } from '../../src/bridge/demo/parish.ts';
import { createChurchTools, type ChurchTools } from '../../src/churchtools/index.ts';
import { createNodeClient } from '../../src/churchtools/node-client.ts';
import { main } from '../../src/cli/main.ts';
import type { JobDocumentInput } from '../../src/runner/job-document.ts';
import { startTestBridge, type TestBridge } from '../bridge/helpers.ts';
import { FAST_HTTP } from '../churchtools/helpers.ts';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliWorld {
  readonly standIn: StandIn;
  readonly bridge: TestBridge;
  /** CT_URL and CT_TOKEN of the stand-in's admin, OPTIGEM_BRIDGE_TOKEN unset. */
  readonly env: Record<string, string>;
  readonly dir: string;
  cli(argv: readonly string[], env?: Record<string, string | undefined>): Promise<CliResult>;
  /** Writes a file in the world's temporary folder and returns its path. */
  file(name: string, content: unknown): string;
  /** A ChurchTools session of the admin, for setting up or inspecting storage directly. */
  churchTools(): Promise<ChurchTools>;
  close(): Promise<void>;
}

export async function cliWorld(): Promise<CliWorld> {
  const [standIn, bridge] = await Promise.all([startStandIn(), startTestBridge()]);
  const dir = mkdtempSync(join(tmpdir(), 'optigem-cli-'));
  const env = { CT_URL: standIn.url, CT_TOKEN: standIn.admin.loginToken, LANG: 'en_GB.UTF-8' };
  return {
    standIn,
    bridge,
    env,
    dir,
    async cli(argv, extra = {}) {
      let stdout = '';
      let stderr = '';
      const code = await main(argv, {
        stdout: { write: (chunk: string) => (stdout += chunk) },
        stderr: { write: (chunk: string) => (stderr += chunk) },
        env: { ...env, ...extra },
        cwd: dir,
        churchToolsHttp: FAST_HTTP,
      });
      return { code, stdout, stderr };
    },
    file(name, content) {
      const path = join(dir, name);
      writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
      return path;
    },
    async churchTools() {
      const client = createNodeClient(standIn.url, standIn.admin.loginToken);
      await client.loginWithToken(standIn.admin.loginToken);
      return createChurchTools(client, { http: FAST_HTTP });
    },
    async close() {
      await Promise.all([standIn.close(), bridge.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The demo set-up: names, e-mail, birthday, city and status ↔ category, one person job. */
export function demoDocument(bridgeUrl: string, more: Partial<JobDocumentInput> = {}): JobDocumentInput {
  return {
    format: 'optigem-sync/jobs',
    version: 1,
    connection: {
      id: 'optigem',
      name: 'Optigem Gemeinde',
      bridgeUrl,
      token: { env: 'OPTIGEM_BRIDGE_TOKEN' },
      propertyPairs: [
        { key: 'fn', domain: 'person', churchtools: 'firstName', optigem: 'Vorname' },
        { key: 'ln', domain: 'person', churchtools: 'lastName', optigem: 'Nachname' },
        { key: 'em', domain: 'person', churchtools: 'email', optigem: 'EMail' },
        { key: 'bd', domain: 'person', churchtools: 'birthday', optigem: 'Geburtsdatum' },
        { key: 'ci', domain: 'person', churchtools: 'city', optigem: 'Ort' },
        {
          key: 'st',
          domain: 'person',
          churchtools: 'statusId',
          optigem: 'Kategorien',
          mapping: {
            entries: [
              { churchtools: String(STATUS_MITGLIED), optigem: '150' },
              { churchtools: String(STATUS_FREUND), optigem: '160' },
            ],
            fallback: { kind: 'skip' },
          },
        },
      ],
    },
    jobs: [
      {
        id: 'personen',
        name: 'Personen abgleichen',
        domain: 'person',
        actions: {
          link: { mode: 'newerWins' },
          import: { defaults: { statusId: String(STATUS_OPTIGEM) } },
          updateProperties: { conflictProtection: true },
        },
        conditions: { churchtools: [], optigem: [] },
        propertyPairKeys: ['fn', 'ln', 'em', 'bd', 'ci'],
        autoRun: true,
      },
    ],
    ...more,
  };
}
