/**
 * The CLI as a program: a child process through tsx (`node --import tsx src/cli/main.ts`) and
 * through the bin wrapper (`node src/cli/bin.mjs`), so the entry points themselves are tested,
 * including that the process ends when the work is done.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '../../dev/standin/server.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Exit {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

function spawnCli(args: readonly string[], env: Record<string, string> = {}): Promise<Exit> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', LANG: 'C', ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

let standIn: StandIn;
beforeAll(async () => {
  standIn = await startStandIn();
});
afterAll(async () => {
  await standIn?.close();
});

describe('optigem-sync as a program', () => {
  it('prints help and lists jobs as JSON, then exits at once', async () => {
    const help = await spawnCli(['--import', 'tsx', 'src/cli/main.ts', 'run', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: optigem-sync run <job>');

    const jobs = await spawnCli(['--import', 'tsx', 'src/cli/main.ts', 'jobs', '--json'], { CT_URL: standIn.url, CT_TOKEN: standIn.admin.loginToken });
    expect(jobs.code, jobs.stderr).toBe(0);
    expect(JSON.parse(jobs.stdout)).toEqual({ jobs: [], unreadable: [] });
    // The ChurchTools client leaves 60 s timers behind; the CLI must not wait for them.
    expect(jobs.ms).toBeLessThan(20_000);
  });

  it('runs through the bin wrapper: an invalid document is exit code 2', async () => {
    const result = await spawnCli(['src/cli/bin.mjs', 'import', 'package.json', '--check']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('$.format');
  });
});
