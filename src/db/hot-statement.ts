/**
 * Hand-written statements for the hot paths (docs/development.md, "Hot statements"): SQL text
 * with named parameters, built once at load from fragments our own code made (table and
 * column names from the entities, status literals from the model's lists), so that a renamed
 * column, status or parameter fails the type check instead of a statement at run time.
 */
import { SystemError } from '../core/errors';

declare const sqlTextBrand: unique symbol;

/** SQL text our own code made (a name, a literal, a keyword), never text from outside: only this may be spliced into a statement. */
export type SqlText = string & { readonly [sqlTextBrand]: true };

/** A parameter of a statement, by name; bound, never spliced. */
export class Param<T> {
  /** Only carries the parameter's type for the compiler. */
  declare readonly type: T;
  constructor(readonly name: string) {}
}

/** A piece of a statement: text and parameters in order. */
export class SqlFragment {
  constructor(readonly parts: readonly (string | Param<unknown>)[]) {}
}

/** What may appear inside `${}` in a `sql` template. */
export type SqlPart = SqlText | Param<unknown> | SqlFragment;

/** A fragment of SQL: the text around `${}` is the statement's own; each `${}` is a name, a parameter or another fragment. */
export function sql(strings: TemplateStringsArray, ...values: readonly SqlPart[]): SqlFragment {
  const parts: (string | Param<unknown>)[] = [strings[0]!];
  values.forEach((value, i) => {
    if (value instanceof SqlFragment) parts.push(...value.parts);
    else parts.push(value);
    parts.push(strings[i + 1]!);
  });
  return new SqlFragment(parts);
}

/** Fragments joined by `separator` (`, ` by default). */
export function joined(fragments: readonly SqlPart[], separator = ', '): SqlFragment {
  return new SqlFragment(fragments.flatMap((f, i) => [...(i ? [separator] : []), ...(f instanceof SqlFragment ? f.parts : [f])]));
}

/** The parameters of a statement as placeholders: `p.runId` in a `sql` template binds the `runId` parameter. */
export type Placeholders<P> = { readonly [K in keyof P]-?: Param<P[K]> };

/** A statement ready to run: its text with `$1`, `$2`…, the parameter names in that order, and the name it is prepared under. */
export interface HotStatement<P, Row> {
  readonly name: string;
  readonly text: string;
  readonly order: readonly (keyof P & string)[];
  /** Only carries the row type for the compiler. */
  readonly row?: Row;
}

let statementsBuilt = 0;

/**
 * Builds a statement once, at load: `build` gets a placeholder per parameter and returns the
 * SQL. Each parameter becomes `$n` by its first use (a parameter used twice is bound once).
 */
export function hotStatement<P extends object, Row = Record<string, unknown>>(build: (p: Placeholders<P>) => SqlFragment): HotStatement<P, Row> {
  const placeholders = new Proxy({} as Placeholders<P>, { get: (_target, name) => new Param(String(name)) });
  const order: (keyof P & string)[] = [];
  const text = build(placeholders)
    .parts.map((part) => {
      if (typeof part === 'string') return part;
      let index = order.indexOf(part.name as keyof P & string);
      if (index < 0) index = order.push(part.name as keyof P & string) - 1;
      return `$${index + 1}`;
    })
    .join('');
  return { name: `sb${++statementsBuilt}`, text, order };
}

/** The statement's parameters as values in `$n` order. @throws SystemError when one is missing (node-postgres would send NULL). */
export function valuesOf<P>(statement: HotStatement<P, unknown>, params: P): unknown[] {
  return statement.order.map((name) => {
    const value = params[name];
    if (value === undefined) throw new SystemError('missing_parameter', `statement ${statement.name} was given no ${name}`, { statement: statement.name, parameter: name });
    return value;
  });
}
