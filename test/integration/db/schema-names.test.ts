/**
 * The names hot statements splice in (src/db/schema-names.ts) are the ones MikroORM gives the
 * entities' tables and columns: the statements and the schema-drift test rely on both agreeing.
 */
import { ENTITIES } from '../../../src/db/entities';
import { columnsOf } from '../../../src/db/schema-names';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

it.each(ENTITIES.map((entity) => [entity.meta.className, entity] as const))('names the table and every column of %s as the ORM does', (className, entity) => {
  const meta = db.orm.getMetadata().get(className);
  const stored = Object.values(meta.properties).filter((prop) => prop.persist !== false && prop.fieldNames?.length === 1);
  const expected = Object.fromEntries([['$table', meta.tableName], ...stored.map((prop) => [prop.name, prop.fieldNames[0]])]);

  expect({ ...columnsOf(entity) }).toEqual(expected);
});
