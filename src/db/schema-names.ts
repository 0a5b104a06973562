/**
 * Names a hot statement splices in, from the entities and the model's constant lists: a
 * property renamed in an entity, or a status renamed in a list, fails the type check where a
 * statement uses it. The schema-drift test keeps the entities and the migrated tables equal.
 */
import { UnderscoreNamingStrategy, type Collection, type EntitySchema, type InferEntity } from '@mikro-orm/core';
import { SystemError } from '../core/errors';
import { joined, type SqlFragment, type SqlText } from './hot-statement';

/** What MikroORM names columns by when an entity does not say (its default for SQL drivers). */
const naming = new UnderscoreNamingStrategy();

/** The column of each property an entity stores in its own table, and the table as `$table`. */
export type Columns<E> = { readonly [K in keyof E & string as E[K] extends Collection<object> ? never : K]-?: SqlText } & { readonly $table: SqlText };

interface PropertyOptions {
  readonly kind?: string;
  readonly fieldName?: string;
}

/** The columns of `entity` as its metadata names them: `columnsOf(AgentRunEntity).leaseToken` is `lease_token`. */
export function columnsOf<S extends EntitySchema>(entity: S): Columns<InferEntity<S>> {
  const meta = entity.meta as unknown as { tableName?: string; className: string; properties: Record<string, PropertyOptions> };
  const columns: Record<string, string> = { $table: meta.tableName ?? naming.classToTableName(meta.className) };
  for (const [name, prop] of Object.entries(meta.properties)) {
    if (prop.kind === '1:m' || prop.kind === 'm:n') continue;
    const owner = prop.kind === 'm:1' || prop.kind === '1:1';
    columns[name] = prop.fieldName ?? (owner ? naming.joinKeyColumnName(name) : naming.propertyToColumnName(name));
  }
  return columns as unknown as Columns<InferEntity<S>>;
}

/** A value of a fixed list as an SQL string literal; the lists hold identifiers, never quotes. */
function literal(value: string): SqlText {
  if (!/^[a-z_]+$/.test(value)) throw new SystemError('bad_literal', `not a plain identifier: ${value}`, { value });
  return `'${value}'` as SqlText;
}

/** SQL literals of one constant list: `lit('running')` is `'running'`; a value not in the list fails the type check. */
export interface Literals<V extends string> {
  (value: V): SqlText;
  /** Several, comma-separated, for `in (...)`. */
  list(values: readonly V[]): SqlFragment;
}

/** The literals of `values` (RUN_STATUSES, CALL_STATUSES...). */
export function literalsOf<const L extends readonly string[]>(values: L): Literals<L[number]> {
  const one = (value: L[number]): SqlText => {
    if (!values.includes(value)) throw new SystemError('bad_literal', `${value} is not one of ${values.join(', ')}`, { value });
    return literal(value);
  };
  return Object.assign(one, { list: (chosen: readonly L[number][]) => joined(chosen.map(one)) });
}
