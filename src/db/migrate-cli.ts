/**
 * `npm run migrate`: applies pending migrations and exits. Used by the Procfile's
 * release phase, with `MIGRATE_ON_START=false` on the web process.
 */
import { loadConfig } from '../config/config';
import { createLogger } from '../logging/logger';
import { openDatabase } from './database';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger({ level: config.logLevel });
  const db = await openDatabase({ ...config.database, migrateOnStart: true }, log);
  await db.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
