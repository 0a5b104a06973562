/**
 * The durable baseline: the bare Bolt app (bolt-app.js) that acknowledges only what it has
 * stored. Before each ack it inserts the event with one autocommitted
 * `INSERT … ON CONFLICT DO NOTHING` through a node-postgres pool of 10, so a redelivery
 * stores nothing new; then it acks and posts the echo. The floor for a bot that promises
 * an acknowledged event is never lost (issue #15), in its own database (DATABASE_URL).
 */
const { Pool } = require('pg');
const { startBoltApp } = require('./bolt-app');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const INSERT = 'insert into bench_events (event_id, channel, ts, text) values ($1, $2, $3, $4) on conflict do nothing';

pool
  .query('create table if not exists bench_events (event_id text primary key, channel text not null, ts text not null, text text not null)')
  .then(() => startBoltApp({ beforeAck: (event, body) => pool.query(INSERT, [body.event_id, event.channel, event.ts, event.text]) }))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
