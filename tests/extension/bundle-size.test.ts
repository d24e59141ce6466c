// The extension's initial JavaScript stays within its budget (issue 12: ≤ 220 KB gzipped), in both
// loading forms. Sizes of a build are exact, not timings; bench/bundle-size.mjs measures them.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ensureBuiltDist, projectRoot } from './dist-build.ts';

const run = promisify(execFile);

describe('bundle size', () => {
  it('loads at most 220 KB of gzipped JavaScript for the first screen, legacy and new format', async () => {
    const dist = await ensureBuiltDist();
    const { stdout } = await run(process.execPath, [join(projectRoot, 'bench', 'bundle-size.mjs'), dist], { cwd: projectRoot });
    const initial = [...stdout.matchAll(/initial JavaScript of main, (legacy|new format): ([\d.]+) KB gzipped/g)].map((m) => [m[1], Number(m[2])] as const);
    expect(initial.map(([form]) => form)).toEqual(['legacy', 'new format']);
    for (const [, kb] of initial) expect(kb).toBeLessThanOrEqual(220);
    // The views other than the first screen are not in it: they load on navigation.
    expect(stdout).toMatch(/lazy chunks \(loaded on navigation, not counted\): [1-9]\d*/);
  });
});
