/**
 * Scheduled work through the real core over the memory stores, with time moved by hand: each
 * firing happens once however many processes sweep, pausing and deleting stop it, a restart
 * loses nothing, a missed firing is made up for within the catch-up, and failures pause it.
 */
import { ChannelUnavailableError } from '../../src/core/errors';
import type { Metrics } from '../../src/core/ports/metrics';
import { PrometheusMetrics } from '../../src/metrics/prometheus-metrics';
import { chatAnswer, startFakeOpenAi, type FakeOpenAi } from '../fakes/fake-openai';
import { memoryLogger } from '../support/core-over-stores';
import { buildMemoryCore } from '../support/memory-core';
import { createMemoryStores, type MemoryStores } from '../support/memory-stores';
import { addSchedule, botProcess, firingRoots, HOUR, MINUTE, newChannel, other, owner, scheduleCommand, sweep, toNextMinute, type BotProcess } from '../support/schedule-processes';

let llm: FakeOpenAi;
/** Model calls since the test began (the fake keeps every request it got). */
let asked: () => number;
beforeAll(async () => {
  llm = await startFakeOpenAi();
});
afterAll(() => llm.close());
beforeEach(() => {
  const before = llm.requests.length;
  asked = () => llm.requests.length - before;
  llm.reset();
  llm.fallback(() => chatAnswer('Two incidents overnight, both resolved.'));
});

/** A process over `stores` (another process's, when given), answering from the fake model. */
const processOver = (stores: MemoryStores, idPrefix: string, log = memoryLogger().log, metrics?: Metrics): BotProcess =>
  botProcess((options) => buildMemoryCore({ ...options, stores }), idPrefix, { openAiBaseUrl: llm.baseUrl, log, metrics });

describe('a schedule firing', () => {
  test('fires once per tick across two processes, each time in a new thread whose first line names it, answered there as its owner', async () => {
    const stores = createMemoryStores();
    const [a, b] = [processOver(stores, 'a'), processOver(stores, 'b')];
    const where = newChannel();
    const id = await addSchedule(a, where, '"* * * * *" summarise #incidents');

    for (let tick = 1; tick <= 3; tick++) {
      toNextMinute(stores.clock);
      expect(await sweep([a, b])).toBe(1);
      expect(await sweep([a, b])).toBe(0);
    }

    const roots = firingRoots([a, b], where);
    expect(roots).toHaveLength(3);
    expect(roots.every((r) => r.where.thread === '' && r.message.text.split('\n')[0]!.includes(`Scheduled task \`${id}\``))).toBe(true);
    expect(new Set(roots.map((r) => r.messageId)).size).toBe(3);
    const answers = [a, b].flatMap((p) => p.platform.posts()).filter((p) => p.message.text === 'Two incidents overnight, both resolved.');
    expect(answers.map((p) => p.where.thread).sort()).toEqual(roots.map((r) => r.messageId).sort());
    expect(asked()).toBe(3);
    expect(llm.requests.at(-1)!.body.messages.at(-1)).toEqual({ role: 'user', content: expect.stringContaining('summarise #incidents') });
    const prompts = [...stores.db.messages.values()].filter((m) => m.role === 'user');
    expect(prompts.map((m) => [m.author.id, m.text, m.turnState])).toEqual(Array.from({ length: 3 }, () => [owner.id, 'summarise #incidents', 'answered']));
  });

  test('a paused schedule never fires; resumed, it fires again from the next tick on', async () => {
    const stores = createMemoryStores();
    const a = processOver(stores, 'a');
    const where = newChannel();
    const id = await addSchedule(a, where, '"* * * * *" check the dashboard');
    expect(await scheduleCommand(a, where, owner, `pause ${id}`)).toContain('Paused');

    for (let tick = 1; tick <= 3; tick++) {
      toNextMinute(stores.clock);
      await sweep([a]);
    }
    expect(firingRoots([a], where)).toEqual([]);
    expect(await scheduleCommand(a, where, owner, 'list')).toContain('paused (paused by olivia)');

    expect(await scheduleCommand(a, where, owner, `resume ${id}`)).toContain('Resumed');
    await sweep([a]);
    expect(firingRoots([a], where)).toEqual([]);
    toNextMinute(stores.clock);
    await sweep([a]);
    expect(firingRoots([a], where)).toHaveLength(1);
  });

  test('a deleted schedule never fires again', async () => {
    const stores = createMemoryStores();
    const a = processOver(stores, 'a');
    const where = newChannel();
    const id = await addSchedule(a, where, '"* * * * *" check the dashboard');
    toNextMinute(stores.clock);
    await sweep([a]);
    expect(await scheduleCommand(a, where, owner, `delete ${id}`)).toContain('Deleted');

    for (let tick = 1; tick <= 3; tick++) {
      toNextMinute(stores.clock);
      await sweep([a]);
    }
    expect(firingRoots([a], where)).toHaveLength(1);
    expect(await scheduleCommand(a, where, owner, 'list')).toContain('No schedules');
  });

  test('a restart between ticks loses no firing and duplicates none', async () => {
    const stores = createMemoryStores();
    const first = processOver(stores, 'first');
    const where = newChannel();
    await addSchedule(first, where, '"* * * * *" summarise #incidents');
    toNextMinute(stores.clock);
    await sweep([first]);

    // The process stops; its tick passes while nothing runs; two new processes start and sweep at once.
    toNextMinute(stores.clock, 30);
    const [second, third] = [processOver(stores, 'second'), processOver(stores, 'third')];
    expect(await sweep([second, third])).toBe(1);
    expect(await sweep([second, third])).toBe(0);
    toNextMinute(stores.clock);
    expect(await sweep([second, third])).toBe(1);

    expect(firingRoots([first, second, third], where)).toHaveLength(3);
    expect(asked()).toBe(3);
  });

  test('a firing missed while every process was down runs once at start-up within the catch-up, and is skipped with a log line beyond it', async () => {
    const stores = createMemoryStores();
    const logged = memoryLogger();
    const a = processOver(stores, 'a', logged.log);
    const hourly = newChannel();
    const daily = newChannel();
    // 00:30 UTC: the hourly schedule fires next at 01:00, the daily one at midnight tomorrow.
    const day = 24 * HOUR;
    stores.clock.advance(day - ((stores.clock.now().getTime() - 30 * MINUTE) % day));
    await addSchedule(a, hourly, '"0 * * * *" summarise the last hour');
    await addSchedule(a, daily, '"0 0 * * *" summarise the day');

    // Down until 03:30: of the hourly firings only the latest (03:00, half an hour old) runs, once.
    stores.clock.advance(3 * HOUR);
    const metrics = new PrometheusMetrics({ defaultMetrics: false });
    const after = processOver(stores, 'after', logged.log, metrics);
    await sweep([after]);
    await sweep([after]);
    expect(firingRoots([after], hourly)).toHaveLength(1);

    // Down until 01:30 the next day: the daily firing, missed by an hour and a half, is skipped, and said so.
    stores.clock.advance(22 * HOUR);
    await sweep([after]);
    expect(firingRoots([after], daily)).toHaveLength(0);
    expect(logged.lines().filter((l) => l.msg === 'scheduled firing skipped: missed by longer than SCHEDULE_CATCH_UP')).toHaveLength(1);
    const exposition = await metrics.exposition();
    expect(exposition).toContain('switchboard_schedule_firings_total{platform="slack",outcome="skipped"} 1');
    expect(exposition).toMatch(/switchboard_schedule_firings_total\{platform="slack",outcome="fired"\} [1-9]/);
  });
});

describe('a failing schedule', () => {
  test('a firing whose model call fails posts one note; three in a row pause it and tell its owner privately', async () => {
    llm.fallback(() => ({ status: 500 }));
    const stores = createMemoryStores();
    const a = processOver(stores, 'a');
    const where = newChannel();
    const id = await addSchedule(a, where, '"* * * * *" summarise #incidents');

    for (let tick = 1; tick <= 4; tick++) {
      toNextMinute(stores.clock);
      await sweep([a]);
    }

    const roots = firingRoots([a], where);
    expect(roots).toHaveLength(3);
    for (const root of roots) expect(a.platform.posts().filter((p) => p.where.thread === root.messageId).map((p) => p.message.text)).toEqual([expect.stringMatching(/language model/)]);
    const told = a.platform.ephemerals().filter((e) => e.userId === owner.id);
    expect(told.map((e) => e.message.text)).toEqual([expect.stringContaining(`Your schedule \`${id}\``)]);
    expect(told[0]!.message.text).toContain('its last 3 firings failed');
    expect([...stores.db.schedules.values()].find((s) => s.shortId === id)).toMatchObject({ state: 'paused', consecutiveFailures: 3 });
  });

  test('a success between failures starts the count again', async () => {
    const stores = createMemoryStores();
    const a = processOver(stores, 'a');
    const where = newChannel();
    const id = await addSchedule(a, where, '"* * * * *" summarise #incidents');
    for (const answer of [{ status: 500 }, { status: 500 }, chatAnswer('fine'), { status: 500 }, { status: 500 }]) {
      llm.script('chat', answer);
      toNextMinute(stores.clock);
      await sweep([a]);
    }
    expect([...stores.db.schedules.values()].find((s) => s.shortId === id)).toMatchObject({ state: 'active', consecutiveFailures: 2 });
  });

  test('a channel gone for the bot pauses the schedule at its first firing and tells the owner', async () => {
    const stores = createMemoryStores();
    const a = processOver(stores, 'a');
    const where = newChannel();
    const id = await addSchedule(a, where, '"* * * * *" summarise #incidents');
    a.platform.failNext('post', new ChannelUnavailableError('Slack refused chat.postMessage: channel_not_found', { reason: 'channel_not_found' }));

    toNextMinute(stores.clock);
    await sweep([a]);
    toNextMinute(stores.clock);
    await sweep([a]);

    expect(firingRoots([a], where)).toEqual([]);
    expect(asked()).toBe(0);
    expect([...stores.db.schedules.values()].find((s) => s.shortId === id)).toMatchObject({ state: 'paused', pausedReason: 'I can no longer post in its channel (channel_not_found)' });
    expect(a.platform.ephemerals().map((e) => [e.userId, e.message.text])).toEqual([[owner.id, expect.stringContaining('channel_not_found')]]);
  });
});

describe('who may change a schedule', () => {
  test('someone else is refused privately and the schedule stays; a workspace admin may change it', async () => {
    const stores = createMemoryStores();
    const a = processOver(stores, 'a');
    const where = newChannel();
    const id = await addSchedule(a, where, '"0 9 * * 1-5" summarise #incidents');
    expect(await scheduleCommand(a, where, other, `delete ${id}`)).toContain('Only olivia');
    expect(await scheduleCommand(a, where, other, 'list')).toContain(id);
    a.platform.admins.add(other.id);
    expect(await scheduleCommand(a, where, other, `delete ${id}`)).toContain('Deleted');
  });

  test('a bad cron is refused with the expression shown, and nothing is stored', async () => {
    const stores = createMemoryStores();
    const a = processOver(stores, 'a');
    const where = newChannel();
    expect(await scheduleCommand(a, where, owner, 'add "61 9 * * *" summarise')).toContain('"61 9 * * *" is not a cron expression I can use');
    expect(await scheduleCommand(a, where, owner, 'add "0 9 * *" summarise')).toContain('"0 9 * *"');
    expect(stores.db.schedules.size).toBe(0);
  });
});
