/**
 * Holds every insert into `message` behind a table lock, so a test can show what happens
 * before a message is stored (no ack, no users.info) and what follows once it is: order,
 * not time. Reads of `message` still go through.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { rows } from '../../support/db-rows';
import { eventually } from './slack-harness';

export interface HeldInserts {
  /** Resolves once an insert into `message` is waiting for the lock. */
  insertWaiting(): Promise<void>;
  /** Lets the inserts through. */
  release(): Promise<void>;
}

/** Takes the lock on `orm`'s database (one connection of its pool, until released). */
export async function holdMessageInserts(orm: MikroORM): Promise<HeldInserts> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const transaction = orm.em.fork().transactional(async (em) => {
    // SHARE conflicts with the ROW EXCLUSIVE lock an insert takes, and with nothing a select takes.
    await em.execute('lock table message in share mode');
    locked();
    await released;
  });
  await Promise.race([isLocked, transaction]);
  return {
    insertWaiting: async () => {
      await eventually(async () => {
        const [waiting] = await rows<{ n: string }>(
          orm,
          `select count(*) as n from pg_stat_activity
           where datname = current_database() and wait_event_type = 'Lock' and query like '%insert into message%'`,
        );
        return Number(waiting!.n) > 0 ? true : undefined;
      });
    },
    release: async () => {
      release();
      await transaction;
    },
  };
}
