// The stand-in as a program (`npx tsx dev/standin/main.ts`): help and wrong options answer in
// words, not with a stack trace (issue 15 §4).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function standIn(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'dev/standin/main.ts', ...args], { cwd: ROOT, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('dev/standin/main.ts', () => {
  it('prints its help for --help and exits 0; an unknown option is named with the help, exit 2, no stack trace', async () => {
    const [help, wrong] = await Promise.all([standIn(['--help']), standIn(['--bogus'])]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: npx tsx dev/standin/main.ts [options]');
    expect(help.stdout).toContain('--port N');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("Unknown option '--bogus'");
    expect(wrong.stderr).toContain('Usage: npx tsx dev/standin/main.ts');
    expect(wrong.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
