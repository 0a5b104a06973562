import { z } from 'zod';
import { duration, flag, wholeNumber } from '../parsers';
import { setting, type Section } from '../setting';

/** Slack waits 3 s for its answer, and the answer waits for the message to be stored. */
const storeTimeout = duration.refine((ms) => ms >= 100 && ms < 3000, { error: 'expected at least 100ms and under 3s (Slack waits 3 s for an answer)' });

/** Postgres: where it is (or the embedded one), the pool, migrations, how long storing a message may take. */
export const databaseSettings = {
  url: setting('DATABASE_URL', z.string().regex(/^postgres(ql)?:\/\//, { error: 'expected a postgres:// URL' }).optional(), {
    doc: 'Postgres URL; unset starts the embedded Postgres under EMBEDDED_PG_DIR',
  }),
  poolMax: setting('DATABASE_POOL_MAX', wholeNumber(1, 200), { default: '10', doc: 'connection pool size per process' }),
  embeddedDir: setting('EMBEDDED_PG_DIR', z.string(), { default: '.data/postgres', doc: 'data folder of the embedded Postgres' }),
  embeddedPort: setting('EMBEDDED_PG_PORT', wholeNumber(1024, 65535), { default: '54329', doc: 'port of the embedded Postgres (127.0.0.1 only)' }),
  migrateOnStart: setting('MIGRATE_ON_START', flag, { default: 'true', doc: 'apply migrations at start-up; false when a release phase runs `npm run migrate`' }),
  storeTimeoutMs: setting('STORE_TIMEOUT', storeTimeout, {
    default: '2s',
    doc: "longest wait for an incoming message's insert (100ms to under 3s); then Slack gets an error and delivers it again",
  }),
} satisfies Section;
