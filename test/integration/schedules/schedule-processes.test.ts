/**
 * Schedules on real Postgres, as several processes see them: two cores, each on connection
 * pools of its own, over one database and one clock the test moves. Exactly once is Postgres's
 * doing here (one conditional UPDATE and a unique firing row), not any process's memory.
 */
import { openConnections, type Connections } from '../../../src/db/orm';
import { chatAnswer } from '../../fakes/fake-openai';
import { buildCore } from '../../support/core-harness';
import { useDatabaseAndModel } from '../../support/database-and-model';
import { rows } from '../../support/db-rows';
import { statementsSentBy } from '../../support/sent-statements';
import { TestClock } from '../../support/memory-stores';
import { addSchedule, botProcess, firingRoots, newChannel, owner, scheduleCommand, sweep, toNextMinute, type BotProcess } from '../../support/schedule-processes';

const services = useDatabaseAndModel();
const pools: Connections[] = [];
afterAll(() => Promise.all(pools.map((p) => p.close())));
beforeEach(() => {
  services.llm.reset();
  services.llm.fallback(() => chatAnswer('Two incidents overnight, both resolved.'));
});

/** A process on connection pools of its own, over the test's database, on `clock`. */
async function processOn(clock: TestClock, idPrefix: string): Promise<BotProcess> {
  const connections = await openConnections(services.db.url, { orm: 2, hot: 3 });
  pools.push(connections);
  const started = botProcess((options) => buildCore({ ...options, db: connections }), idPrefix, { openAiBaseUrl: services.llm.baseUrl, clock });
  // As app.ts starts a process: its policy rules read before its first message.
  await started.harness.core.loadPolicy();
  return started;
}

/** The firings Postgres recorded for the channel's schedules. */
const firings = (channel: string) =>
  rows<{ due_at: string }>(
    services.db.orm,
    `select f.due_at from schedule_firing f join schedule s on s.id = f.schedule_id join conversation c on c.id = s.conversation_id where c.channel_id = ? order by f.due_at`,
    [channel],
  );

test('two processes sweeping at once fire each tick exactly once', async () => {
  const clock = new TestClock();
  const [a, b] = await Promise.all([processOn(clock, 'a'), processOn(clock, 'b')]);
  const where = newChannel();
  await addSchedule(a, where, '"* * * * *" summarise #incidents');

  for (let tick = 1; tick <= 3; tick++) {
    toNextMinute(clock);
    expect(await sweep([a, b, a, b])).toBe(1);
  }

  expect(firingRoots([a, b], where)).toHaveLength(3);
  expect(await firings(where.channel)).toHaveLength(3);
  const prompts = await rows<{ author_id: string; turn_state: string }>(
    services.db.orm,
    `select m.author_id, m.turn_state from message m join conversation c on c.id = m.conversation_id where c.channel_id = ? and m.role = 'user'`,
    [where.channel],
  );
  expect(prompts).toEqual(Array.from({ length: 3 }, () => ({ author_id: owner.id, turn_state: 'answered' })));
});

test('a restart between ticks loses no firing and duplicates none; a paused and a deleted schedule never fire', async () => {
  const clock = new TestClock();
  const first = await processOn(clock, 'first');
  const where = newChannel();
  const paused = newChannel();
  const deleted = newChannel();
  await addSchedule(first, where, '"* * * * *" summarise #incidents');
  await scheduleCommand(first, paused, owner, `pause ${await addSchedule(first, paused, '"* * * * *" check the dashboard')}`);
  const gone = await addSchedule(first, deleted, '"* * * * *" check the deploys');
  toNextMinute(clock);
  await sweep([first]);
  await scheduleCommand(first, deleted, owner, `delete ${gone}`);

  // The first process is gone; the next tick passes with nothing running; two processes start and sweep together.
  toNextMinute(clock, 30);
  const [second, third] = await Promise.all([processOn(clock, 'second'), processOn(clock, 'third')]);
  await sweep([second, third]);
  await sweep([second, third]);
  toNextMinute(clock);
  await sweep([third, second]);

  const all = [first, second, third];
  expect(firingRoots(all, where)).toHaveLength(3);
  expect((await firings(where.channel)).map((f) => new Date(f.due_at).getTime() % 60_000)).toEqual([0, 0, 0]);
  expect(firingRoots(all, paused)).toEqual([]);
  expect(firingRoots(all, deleted)).toHaveLength(1);
});

test('an ordinary chat message in a channel with a schedule sends its two statements and none about schedules', async () => {
  const clock = new TestClock();
  const a = await processOn(clock, 'chat');
  const where = newChannel();
  await addSchedule(a, where, '"0 9 * * 1-5" summarise #incidents');
  // The process has started: what it reads once as it starts (the channels' token budgets) is read.
  await a.harness.core.idle();
  const sent = await statementsSentBy(() => a.harness.core.handleMessage({ where: { ...where, thread: '1700000001.000100' }, messageId: '1700000001.000100', author: owner, text: 'how are things?' }));
  expect(sent.filter((s) => /schedule/i.test(s))).toEqual([]);
  // The message stored with its thread read, and the answer stored with the turn answered: as without schedules.
  expect(sent).toHaveLength(2);
});
