/**
 * `npm run build`: compiles src/ and migrations/ into dist/ with tsc (tsconfig.build.json),
 * then bundles the app into dist/src/bundle/main.js with esbuild, which `npm start` runs.
 * With `--if-stale` (the first step of `npm run migrate`, and of `npm start` through
 * scripts/start.js) it builds only when dist/ is missing or older than the sources, so those
 * commands always run compiled code that matches src/ while a fresh clone still needs
 * nothing but `npm install && npm start`.
 *
 * Plain JavaScript on purpose: it runs before anything is compiled, without tsx.
 */
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const DIST = join(ROOT, 'dist');
/** Written after a successful build, dated when that build started. */
const STAMP = join(DIST, '.build-stamp');
/** What the compiled output depends on: the TypeScript under these folders, and these files. */
const SOURCES = ['src', 'migrations', 'tsconfig.json', 'tsconfig.build.json'];
/**
 * The bundled app (scripts/bundle.js), relative to dist/. Two folders down, as
 * src/db/orm-options.js is: the bundle's `__dirname` finds `../../migrations` as that file's does.
 */
const BUNDLE = join('src', 'bundle', 'main.js');

/**
 * The newest modification time (ms) of the TypeScript files under `path` (or of `path`
 * itself when it is a file), 0 when there are none. Other files are not compiled: the
 * migrator rewrites migrations/.snapshot-*.json each time it applies a migration, and that
 * must not make dist/ stale.
 */
function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => {
    const child = join(path, name);
    const counts = statSync(child).isDirectory() || name.endsWith('.ts');
    return counts ? Math.max(newest, newestMtime(child)) : newest;
  }, 0);
}

/** Whether dist/ is missing, or older than any source (a deployment that ships only dist/ has no sources: never stale). */
function isStale() {
  if (!existsSync(STAMP)) return true;
  return SOURCES.some((source) => newestMtime(join(ROOT, source)) > statSync(STAMP).mtimeMs);
}

/** The TypeScript compiler's entry point, or null when the dev dependencies are not installed. */
function tscPath() {
  try {
    return require.resolve('typescript/bin/tsc', { paths: [ROOT] });
  } catch {
    return null;
  }
}

/**
 * Bundles the compiled app into `<outDir>/src/bundle/main.js` (scripts/bundle.js), which
 * `npm start` runs; returns the exit status. Skipped (0) when esbuild, a dev dependency, is
 * not installed: start.js then runs dist/src/main.js.
 */
function bundle(outDir) {
  try {
    require.resolve('esbuild', { paths: [ROOT] });
  } catch {
    return 0;
  }
  return spawnSync(process.execPath, [join(__dirname, 'bundle.js'), join(outDir, 'src', 'main.js'), join(outDir, BUNDLE)], { cwd: ROOT, stdio: ['ignore', 2, 2] }).status ?? 1;
}

/**
 * Compiles into a fresh folder and swaps it in only when tsc succeeded: a failed build
 * leaves the previous dist/ as it was, and a process running from it keeps its files.
 */
function build() {
  const tsc = tscPath();
  if (!tsc) {
    console.error('dist/ is missing or older than src/, and TypeScript (a dev dependency) is not installed: run `npm run build` where it is.');
    return 1;
  }
  const startedAt = new Date();
  const next = join(ROOT, `dist.building-${process.pid}`);
  console.error('building dist/ with tsc…');
  // tsc reports type errors on stdout; keep stdout for the app (piped console sessions read it).
  const result = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', next], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) {
    rmSync(next, { recursive: true, force: true });
    console.error('the build failed; dist/ is unchanged.');
    return result.status ?? 1;
  }
  if (bundle(next) !== 0) {
    rmSync(next, { recursive: true, force: true });
    console.error('bundling failed; dist/ is unchanged.');
    return 1;
  }
  writeFileSync(join(next, '.build-stamp'), '');
  utimesSync(join(next, '.build-stamp'), startedAt, startedAt);
  rmSync(DIST, { recursive: true, force: true });
  renameSync(next, DIST);
  return 0;
}

/** Builds when dist/ is missing or stale; the exit status of the build, 0 when none was needed. */
function buildIfStale() {
  return isStale() ? build() : 0;
}

module.exports = { buildIfStale, BUNDLE };

if (require.main === module) {
  process.exitCode = process.argv.includes('--if-stale') ? buildIfStale() : build();
}
