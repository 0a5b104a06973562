/**
 * Every variable declared in src/config/sections/ is documented in .env.example and in the
 * README's configuration table, and neither documents one that does not exist. When one is
 * missing, the failure shows the lines to paste, written from its declaration.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DECLARED_SETTINGS } from '../../../src/config/config';
import type { Setting } from '../../../src/config/setting';

const ROOT = join(__dirname, '..', '..', '..');
const documented = DECLARED_SETTINGS.filter((s) => !s.internal);
const declared = new Set(DECLARED_SETTINGS.map((s) => s.variable));

/** The `NAME=value` lines of .env.example (commented examples left out), by name. */
function envExampleValues(): Map<string, string> {
  const text = readFileSync(join(ROOT, '.env.example'), 'utf8');
  return new Map([...text.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
}

/** The variables named in the first column of the README's table under "## Configuration". */
function readmeTableVariables(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## Configuration$/m)[1]!.split(/^## /m)[0]!;
  const firstCells = section.split('\n').filter((line) => line.startsWith('| `')).map((row) => row.split('|')[1]!);
  return firstCells.flatMap((cell) => [...cell.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!));
}

const envExampleLines = (s: Setting<unknown>) => `# ${s.doc}\n${s.variable}=${s.default ?? ''}`;
const readmeRow = (s: Setting<unknown>) => `| \`${s.variable}\` | ${s.default === undefined ? 'unset' : `\`${s.default}\``} | ${s.doc} |`;

describe('the documented settings', () => {
  it('declares variables at all, each once', () => {
    expect(documented.length).toBeGreaterThan(40);
    expect(declared.size).toBe(DECLARED_SETTINGS.length);
  });

  it('lists every declared variable in .env.example', () => {
    const example = envExampleValues();
    expect(documented.filter((s) => !example.has(s.variable)).map(envExampleLines)).toEqual([]);
  });

  it('lists in .env.example only variables that exist, and none that a library sets', () => {
    const internal = new Set(DECLARED_SETTINGS.filter((s) => s.internal).map((s) => s.variable));
    expect([...envExampleValues().keys()].filter((name) => !declared.has(name) || internal.has(name))).toEqual([]);
  });

  it('gives each variable in .env.example its default or no value', () => {
    const example = envExampleValues();
    const wrong = documented.filter((s) => ![undefined, '', s.default].includes(example.get(s.variable)));
    expect(wrong.map((s) => `${s.variable}=${example.get(s.variable)} (default: ${s.default ?? 'none'})`)).toEqual([]);
  });

  it("lists every declared variable in the README's configuration table", () => {
    const listed = new Set(readmeTableVariables());
    expect(documented.filter((s) => !listed.has(s.variable)).map(readmeRow)).toEqual([]);
  });

  it("lists in the README's configuration table only variables that exist", () => {
    expect(readmeTableVariables().filter((name) => !declared.has(name))).toEqual([]);
  });
});
