import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres, type RunningPostgres } from '../../src/db/embedded-postgres';
import { migrate, openOrm } from '../../src/db/orm';
import { freePort } from './free-port';

declare global {
  // Shared between global setup and teardown (same process).
  var __SWITCHBOARD_PG__: { pg: RunningPostgres | null; baseUrl: string; template: string } | undefined;
}

/**
 * A cluster deleted when the run ends needs no crash safety: commits and database clones skip
 * the disk flushes (every test file clones a database; closing one took twice as long with them).
 * What the SQL does, and what each statement sees, is unchanged.
 */
const THROWAWAY_CLUSTER_FLAGS = ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];

/**
 * Starts one throwaway Postgres for the run (unless DATABASE_URL names a server) and
 * migrates a template database; each test file clones it (see test-database.ts).
 */
export default async function globalSetup(): Promise<void> {
  const external = process.env.DATABASE_URL;
  const pg = external
    ? null
    : await startEmbeddedPostgres({
        dataDir: join(mkdtempSync(join(tmpdir(), 'switchboard-test-')), 'pg'),
        port: await freePort(),
        ephemeral: true,
        serverFlags: THROWAWAY_CLUSTER_FLAGS,
      });
  const baseUrl = pg ? pg.baseUrl : serverUrl(external!);
  const template = `sb_template_${process.pid}`;
  const admin = await openOrm(`${baseUrl}/postgres`, 1);
  await admin.em.getConnection().execute(`drop database if exists ${template}`);
  await admin.em.getConnection().execute(`create database ${template}`);
  await admin.close(true);
  const orm = await openOrm(`${baseUrl}/${template}`, 1);
  await migrate(orm);
  await orm.close(true);

  globalThis.__SWITCHBOARD_PG__ = { pg, baseUrl, template };
  process.env.SWITCHBOARD_TEST_PG_BASE_URL = baseUrl;
  process.env.SWITCHBOARD_TEST_PG_TEMPLATE = template;
}

/** The server part of a postgres URL: everything before the database name. */
function serverUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '';
  return u.toString().replace(/\/$/, '');
}
