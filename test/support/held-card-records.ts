/**
 * Holds back every approval card's record: the statement that links a request to its posted
 * card (the only one that sets `agent_request.card_platform_id`) waits, through a trigger, for
 * an advisory lock the test holds. A test can then click a card after the platform has shown
 * it and before Switchboard has stored it: order, not time. Decisions, reads and every other
 * write go through; whatever waits on the held statement's own locks waits with it.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { rows } from './db-rows';
import { eventually } from './eventually';

export interface HeldCardRecords {
  /** Resolves once a card's record is waiting for the lock (the card is posted, its id not stored). */
  recordWaiting(): Promise<void>;
  /** Lets the records through and removes the trigger; once, however often it is called (an afterEach may call it again). */
  release(): Promise<void>;
}

const LOCK = `hashtext('switchboard test: held card records')`;

/** Installs the trigger on `orm`'s database and takes the lock (one connection of its pool, until released). */
export async function holdCardRecords(orm: MikroORM): Promise<HeldCardRecords> {
  const connection = orm.em.getConnection();
  await connection.execute(`create or replace function held_card_record() returns trigger language plpgsql as $$
    begin perform pg_advisory_xact_lock(${LOCK}); return null; end $$`);
  // Statement level, before any row is locked: a decision on the request is not held behind it.
  await connection.execute(`create trigger held_card_record before update of card_platform_id on agent_request
    for each statement execute function held_card_record()`);
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const transaction = orm.em.fork().transactional(async (em) => {
    await em.execute(`select pg_advisory_xact_lock(${LOCK})`);
    locked();
    await released;
  });
  await Promise.race([isLocked, transaction]);
  let removed: Promise<void> | null = null;
  const remove = async () => {
    release();
    await transaction;
    await connection.execute('drop trigger held_card_record on agent_request');
    await connection.execute('drop function held_card_record()');
  };
  return {
    recordWaiting: () =>
      eventually(async () => {
        const [waiting] = await rows<{ n: string }>(
          orm,
          `select count(*) as n from pg_stat_activity
           where datname = current_database() and wait_event_type = 'Lock' and wait_event = 'advisory' and query like '%card_platform_id%'`,
        );
        if (Number(waiting!.n) === 0) throw new Error("no card's record is waiting for the lock yet");
      }),
    release: () => (removed ??= remove()),
  };
}
