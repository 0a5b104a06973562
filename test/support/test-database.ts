import { randomBytes } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { openOrm } from '../../src/db/orm';

/** A database of its own for one test file, cloned from the migrated template. */
export interface TestDatabase {
  readonly orm: MikroORM;
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

/** Creates a fresh migrated database (a copy of the template) and opens the ORM on it. */
export async function createTestDatabase(options: { migrated?: boolean; poolMax?: number } = {}): Promise<TestDatabase> {
  const { baseUrl, template } = settings();
  const runId = template.replace('sb_template_', '');
  const name = `sb_${randomBytes(4).toString('hex')}_${runId}`;
  const admin = await adminConnection(baseUrl);
  const source = options.migrated === false ? 'template0' : template;
  await admin.em.getConnection().execute(`create database ${name} template ${source}`);
  await admin.close(true);
  const url = `${baseUrl}/${name}`;
  const orm = await openOrm(url, options.poolMax ?? 5);
  return {
    orm,
    url,
    name,
    close: async () => {
      await orm.close(true);
      const drop = await adminConnection(baseUrl);
      await drop.em.getConnection().execute(`drop database if exists ${name} with (force)`);
      await drop.close(true);
    },
  };
}
