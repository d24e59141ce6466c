// One production build of the extension, shared by every test that needs dist/.
//
// Vitest runs test files in separate processes, so an in-memory cache would build once per file.
// Instead builds go to node_modules/.cache/optigem-sync-dist/<id>/dist together with the list of
// project files that went into them (scripts/build-tracked.mjs) and a hash of those files. A
// cached build is reused while that hash still matches; otherwise the first process that needs a
// build makes one under a lock and the others wait for it. So a test run makes at most one vite
// build (none when nothing in the bundle changed since the last run), and edits to files outside
// the bundle (bridge, CLI, tests) don't trigger one. The developer's own dist/ is never touched.
//
// To warm the cache before any test starts, the lead can register this file as a vitest
// globalSetup (its `setup` export); the tests work without that too.
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const cacheRoot = join(projectRoot, 'node_modules', '.cache', 'optigem-sync-dist');
const lockDir = join(cacheRoot, 'build.lock');
const LOCK_WAIT_MS = 180_000;
// Stale builds are removed after a while, not at once: a concurrent run may still read them.
const KEEP_STALE_BUILDS_MS = 60 * 60 * 1000;

interface CacheEntry {
  id: string;
  distDir: string;
  files: string[];
  hash: string;
}

/** Hash over the paths and current contents of `files` (relative to the project root). */
function hashFiles(files: readonly string[]): string | undefined {
  const hash = createHash('sha256');
  for (const file of files) {
    const full = join(projectRoot, file);
    if (!existsSync(full)) return undefined;
    hash.update(file).update('\0').update(readFileSync(full)).update('\0');
  }
  return hash.digest('hex');
}

function readEntry(id: string): CacheEntry | undefined {
  try {
    const meta = JSON.parse(readFileSync(join(cacheRoot, id, 'inputs.json'), 'utf8')) as { files: string[]; hash: string };
    return { id, distDir: join(cacheRoot, id, 'dist'), files: meta.files, hash: meta.hash };
  } catch {
    return undefined;
  }
}

/** Completed builds, newest first. */
function completedEntries(): CacheEntry[] {
  if (!existsSync(cacheRoot)) return [];
  return readdirSync(cacheRoot)
    .filter((name) => name.endsWith('.ok'))
    .map((name) => ({ id: name.slice(0, -'.ok'.length), mtime: statSync(join(cacheRoot, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime)
    .flatMap(({ id }) => readEntry(id) ?? []);
}

function currentBuild(): CacheEntry | undefined {
  return completedEntries().find((entry) => hashFiles(entry.files) === entry.hash);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryLock(): boolean {
  try {
    mkdirSync(lockDir);
    writeFileSync(join(lockDir, 'pid'), String(process.pid));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function lockIsStale(): boolean {
  try {
    const pid = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
    return Number.isInteger(pid) && pid > 0 && !processAlive(pid);
  } catch {
    // No pid file yet: the owner is between mkdir and writeFile, unless it died right there.
    try {
      return Date.now() - statSync(lockDir).mtimeMs > 10_000;
    } catch {
      return false; // released meanwhile
    }
  }
}

function removeStaleBuilds(keep: string): void {
  for (const name of readdirSync(cacheRoot)) {
    if (name === keep || name === `${keep}.ok` || name === 'build.lock') continue;
    const full = join(cacheRoot, name);
    if (Date.now() - statSync(full).mtimeMs > KEEP_STALE_BUILDS_MS) rmSync(full, { recursive: true, force: true });
  }
}

/** The environment of `npm run build`: vitest sets NODE_ENV=test, which Vite would bake in. */
function buildEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' };
  for (const key of Object.keys(env)) if (key.startsWith('VITEST') || key === 'TEST') delete env[key];
  return env;
}

async function build(): Promise<CacheEntry> {
  const id = `${Date.now().toString(36)}-${process.pid}`;
  const dir = join(cacheRoot, id);
  const distDir = join(dir, 'dist');
  const inputsFile = join(dir, 'inputs.json');
  mkdirSync(dir, { recursive: true });
  const env = buildEnv();
  // Coarse file-system timestamps: take a second of margin.
  const startedAt = Date.now() - 1000;
  try {
    await run(process.execPath, [join(projectRoot, 'scripts', 'build-tracked.mjs'), distDir, inputsFile], {
      cwd: projectRoot,
      env,
      maxBuffer: 16 * 1024 * 1024,
    });
    // The same post-build check `npm run build` runs.
    await run(process.execPath, [join(projectRoot, 'scripts', 'check-dist.mjs'), distDir], { cwd: projectRoot, env });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const { files } = JSON.parse(readFileSync(inputsFile, 'utf8')) as { files: string[] };
  // A file edited while the build ran may or may not be in it: then never reuse this build.
  const editedDuringBuild = files.some(
    (file) => (statSync(join(projectRoot, file), { throwIfNoEntry: false })?.mtimeMs ?? Infinity) >= startedAt,
  );
  const hash = editedDuringBuild ? 'edited-during-build' : (hashFiles(files) ?? '');
  writeFileSync(inputsFile, JSON.stringify({ files, hash }, null, 2));
  writeFileSync(join(cacheRoot, `${id}.ok`), new Date().toISOString());
  return { id, distDir, files, hash };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Returns the path of a checked production build of the current sources (builds if needed). */
export async function ensureBuiltDist(): Promise<string> {
  mkdirSync(cacheRoot, { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    const cached = currentBuild();
    if (cached) return cached.distDir;
    if (tryLock()) {
      try {
        const entry = currentBuild() ?? (await build());
        removeStaleBuilds(entry.id);
        return entry.distDir;
      } finally {
        rmSync(lockDir, { recursive: true, force: true });
      }
    }
    if (lockIsStale()) {
      rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for another process to build the extension in ${cacheRoot}`);
    await sleep(250);
  }
}

/** vitest globalSetup hook: build (or reuse) once before the test files start. */
export async function setup(): Promise<void> {
  await ensureBuiltDist();
}
