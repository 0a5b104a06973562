import { randomBytes } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import type { HotSql } from '../../src/db/hot-sql';
import { openConnections } from '../../src/db/orm';

/** A database of its own for one test file, cloned from the migrated template. */
export interface TestDatabase {
  readonly orm: MikroORM;
  /** The hot statements' pool on it, as the app opens beside the ORM. */
  readonly sql: HotSql;
  readonly url: string;
  readonly name: string;
  close(): Promise<void>;
}

function settings() {
  const baseUrl = process.env.SWITCHBOARD_TEST_PG_BASE_URL;
  const template = process.env.SWITCHBOARD_TEST_PG_TEMPLATE;
  if (!baseUrl || !template) throw new Error('test database not prepared: is jest globalSetup configured?');
  return { baseUrl, template };
}

/**
 * One connection to the server's `postgres` database, to create and drop others: no entities
 * to discover, so it opens in a fraction of the app's ORM start-up, twice per test file.
 */
function adminConnection(baseUrl: string): Promise<MikroORM> {
  return MikroORM.init({ clientUrl: `${baseUrl}/postgres`, entities: [], discovery: { warnWhenNoEntities: false }, pool: { min: 0, max: 1 } });
}

/** Creates a fresh migrated database (a copy of the template) and opens the ORM and the hot statements' pool on it, each with `poolMax` connections (default 5). */
export async function createTestDatabase(options: { migrated?: boolean; poolMax?: number } = {}): Promise<TestDatabase> {
  const { baseUrl, template } = settings();
  const runId = template.replace('sb_template_', '');
  const name = `sb_${randomBytes(4).toString('hex')}_${runId}`;
  const admin = await adminConnection(baseUrl);
  const source = options.migrated === false ? 'template0' : template;
  await admin.em.getConnection().execute(`create database ${name} template ${source}`);
  await admin.close(true);
  const url = `${baseUrl}/${name}`;
  const { orm, sql, close } = await openConnections(url, { orm: options.poolMax ?? 5, hot: options.poolMax ?? 5 });
  return {
    orm,
    sql,
    url,
    name,
    close: async () => {
      await close();
      const drop = await adminConnection(baseUrl);
      await drop.em.getConnection().execute(`drop database if exists ${name} with (force)`);
      await drop.close(true);
    },
  };
}
