import { migrate } from '../../../src/db/orm';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
  });
  afterAll(() => db.close());

  it('create every table on an empty database and change nothing the second time', async () => {
    const first = await migrate(db.orm);
    expect(first.length).toBeGreaterThan(0);
    const tables = (await db.orm.em
      .getConnection()
      .execute(`select table_name from information_schema.tables where table_schema = 'public' order by 1`)) as {
      table_name: string;
    }[];
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(['conversation', 'conversation_context', 'message', 'mikro_orm_migrations']),
    );
    expect(await migrate(db.orm)).toEqual([]);
  });
});
