/**
 * Daily token budgets on real Postgres, as people see them: a turn whose budget is spent is
 * refused before the model is asked, with the limit and when it resets; the next day (the
 * test's clock) it passes again; and two processes answering at once overspend a limit by at
 * most one call's hold, since each hold is one conditional UPDATE.
 */
import { openConnections, type Connections } from '../../../src/db/orm';
import type { CoreSettings } from '../../../src/core/core-deps';
import type { Person, ThreadRef } from '../../../src/core/model/conversation';
import { runPolicyBudget } from '../../../src/core/conversation/commands/policy-budget';
import { chatAnswer, type FakeAnswer } from '../../fakes/fake-openai';
import { buildCore, POSTED_ANSWERS, type Harness } from '../../support/core-harness';
import { useDatabaseAndModel } from '../../support/database-and-model';
import { rows } from '../../support/db-rows';
import { statementsSentBy } from '../../support/sent-statements';
import { eventually } from '../../support/eventually';
import { TestClock } from '../../support/memory-stores';
import { RecordingPlatform } from '../../support/recording-platform';

const services = useDatabaseAndModel();
const pools: Connections[] = [];
afterAll(() => Promise.all(pools.map((p) => p.close())));

const DAY = 86_400_000;
const ana: Person = { id: 'U_ANA', name: 'ana' };
/** Every model call reports 600 tokens. */
const costly = (reply: string): FakeAnswer => ({ ...chatAnswer(reply), usage: { prompt_tokens: 450, completion_tokens: 150, total_tokens: 600 } });

beforeEach(() => {
  services.llm.reset();
  services.llm.fallback(() => costly('Here you go.'));
});

interface Process {
  readonly harness: Harness;
  readonly platform: RecordingPlatform;
}

/** A bot process on connection pools of its own over the test's database, on `clock`. */
async function processOn(clock: TestClock, budgets: NonNullable<CoreSettings['budgets']>): Promise<Process> {
  const db = await openConnections(services.db.url, { orm: 2, hot: 3 });
  pools.push(db);
  const platform = new RecordingPlatform('slack');
  const harness = buildCore({ db, platforms: [platform], openAiBaseUrl: services.llm.baseUrl, clock, settings: { ...POSTED_ANSWERS, budgets } });
  return { harness, platform };
}

let channels = 0;
const newChannel = (): string => `CBUDGET${++channels}`;
let messages = 0;

/** `author` says `text` in a thread of its own in `channel`; resolves once answered. */
async function say(process: Process, channel: string, text: string, author: Person = ana): Promise<void> {
  const id = `${++messages}.0`;
  const where: ThreadRef = { platform: 'slack', workspace: 'T1', channel, thread: id };
  await process.harness.core.handleMessage({ where, messageId: id, author, text });
  await process.harness.queue.drain();
}

const chatCalls = () => services.llm.requestsFor('chat').length;
const texts = (p: Process) => p.platform.posts().map((post) => post.message.text);

const usageRows = (subject: string) =>
  rows<{ scope: string; day: string; used_tokens: number; reserved_tokens: number }>(services.db.orm, `select scope, day, used_tokens, reserved_tokens from token_usage where subject = ? order by day`, [subject]);

test('with 1,000 tokens a day and 600 a call, the second turn passes, the third is refused before the model is asked, and the next day passes again', async () => {
  const clock = new TestClock();
  const bot = await processOn(clock, { perUserDay: 1000, perChannelDay: 0, resetTimeZone: 'UTC', reserveTokens: 500 });
  const channel = newChannel();
  const before = chatCalls();
  const today = clock.now().toISOString().slice(0, 10);
  const midnight = new Date(`${today}T00:00:00Z`).getTime() + DAY;
  const reset = `It resets at midnight UTC (${new Date(midnight).toISOString().slice(0, 16).replace('T', ' ')} UTC).`;

  await say(bot, channel, 'first');
  await say(bot, channel, 'second');
  expect(chatCalls() - before).toBe(2);
  await say(bot, channel, 'third');

  expect(chatCalls() - before).toBe(2);
  expect(texts(bot)).toEqual([
    'Here you go.',
    'Here you go.',
    `Your daily budget of 1,000 model tokens is used up (1,200 used today), so I did not ask the model. ${reset}`,
  ]);
  // The 80 % warning, once: after the second turn, not again after the refusal.
  expect(bot.platform.ephemerals().map((e) => e.message.text)).toEqual([`⚠️ Your daily budget is 100% spent: 1,200 of 1,000 model tokens. ${reset}`]);

  // Just past midnight: a new budget day.
  clock.advance(midnight - clock.now().getTime() + 60_000);
  await say(bot, channel, 'a new day');
  expect(chatCalls() - before).toBe(3);
  expect(texts(bot).at(-1)).toBe('Here you go.');
  expect(await usageRows(ana.id)).toEqual([
    { scope: 'user', day: today, used_tokens: 1200, reserved_tokens: 0 },
    { scope: 'user', day: new Date(midnight).toISOString().slice(0, 10), used_tokens: 600, reserved_tokens: 0 },
  ]);
});

test('two processes answering one channel at once overspend its limit by at most one hold', async () => {
  const clock = new TestClock();
  const budgets = { perUserDay: 0, perChannelDay: 1000, resetTimeZone: 'UTC', reserveTokens: 700 };
  const [a, b] = await Promise.all([processOn(clock, budgets), processOn(clock, budgets)]);
  const channel = newChannel();
  const before = chatCalls();

  // The model holds its answers: every turn reserves (or is refused) while the others still hold theirs.
  const release = services.llm.hold();
  const turns = [say(a, channel, 'one'), say(b, channel, 'two'), say(a, channel, 'three'), say(b, channel, 'four')];
  const refusals = () => [...texts(a), ...texts(b)].filter((t) => t.startsWith("This channel's daily budget"));
  await eventually(() => expect(chatCalls() - before + refusals().length).toBe(4));
  release();
  await Promise.all(turns);

  expect(chatCalls() - before).toBe(2);
  expect(refusals()).toHaveLength(2);
  const [count] = await usageRows(channel);
  expect(count).toEqual({ scope: 'channel', day: clock.now().toISOString().slice(0, 10), used_tokens: 1200, reserved_tokens: 0 });
  expect(count!.used_tokens - 1000).toBeLessThanOrEqual(budgets.reserveTokens);
});

test('without limits an ordinary message writes no counter and sends no statement for budgets: its two statements only', async () => {
  const clock = new TestClock();
  const bot = await processOn(clock, { perUserDay: 0, perChannelDay: 0, resetTimeZone: 'UTC', reserveTokens: 500 });
  const channel = newChannel();
  const free: Person = { id: 'U_FREE', name: 'free' };
  await say(bot, channel, 'hello', free);
  const sent = await statementsSentBy(() => say(bot, channel, 'and again', free));
  expect(texts(bot)).toEqual(['Here you go.', 'Here you go.']);
  expect(sent.filter((s) => /budget|token_usage/i.test(s))).toEqual([]);
  expect(sent).toHaveLength(2);
  expect(await usageRows(free.id)).toEqual([]);
  expect(await usageRows(channel)).toEqual([]);
});

/** `!usage` as `author` in `channel`, answered privately. */
async function usage(process: Process, channel: string, author: Person = ana): Promise<string> {
  const answers: string[] = [];
  await process.harness.core.handleCommand({ where: { platform: 'slack', workspace: 'T1', channel, thread: '' }, user: author, name: 'usage', args: '' }, async (m) => void answers.push(m.text));
  return answers.join('\n');
}

/** `policy budget <args>` as `author` in `channel` through `process`; its private answer. */
async function policyBudget(process: Process, channel: string, author: Person, args: string): Promise<string> {
  const answers: string[] = [];
  const { budgets, platforms, settings } = process.harness.deps;
  const command = { where: { platform: 'slack' as const, workspace: 'T1', channel, thread: '' }, user: author, name: 'policy', args: `budget ${args}` };
  await runPolicyBudget({ budgets, platforms, policy: settings.policy, defaults: { user: 0, channel: 0 } }, command, args, async (m) => void answers.push(m.text));
  return answers.join('\n');
}

test('a channel budget set with policy budget in one process binds another at once, and !usage shows it', async () => {
  const clock = new TestClock();
  const budgets = { perUserDay: 0, perChannelDay: 0, resetTimeZone: 'UTC', reserveTokens: 500 };
  const [a, b] = await Promise.all([processOn(clock, budgets), processOn(clock, budgets)]);
  const channel = newChannel();
  const admin: Person = { id: 'U_ADMIN', name: 'ada' };
  a.platform.admins.add(admin.id);
  await say(b, channel, 'before any limit');
  expect((await usage(b, channel)).split('\n')).toEqual(['You: no limit, so not counted here', 'This channel: no limit, so not counted here', expect.stringMatching(/^Budgets reset at midnight UTC \(/)]);

  expect(await policyBudget(a, channel, ana, '1k')).toBe('Only a workspace admin or a policy admin (POLICY_ADMINS) can change budgets.');
  expect(await policyBudget(a, channel, admin, '1k')).toBe("Done: ada set this channel's daily budget to 1,000 tokens.");
  expect(texts(a).at(-1)).toBe("💰 ada set this channel's daily budget to 1,000 tokens.");

  // Process b hears of it by NOTIFY: its next turns count against the new limit.
  await eventually(async () => {
    await say(b, channel, 'counted?');
    expect(await usageRows(channel)).not.toEqual([]);
  });
  await say(b, channel, 'the second counted turn');
  await say(b, channel, 'over the limit now');
  expect(texts(b).at(-1)).toMatch(/^This channel's daily budget of 1,000 model tokens is used up/);
  expect((await usage(a, channel)).split('\n')[1]).toBe('This channel: 1,200 of 1,000 tokens today (120%)');
  expect(await policyBudget(b, channel, ana, '')).toMatch(/^Daily model-token budgets here:\n• each person's daily budget in this channel: no limit — the default\n• this channel's daily budget: 1,000 tokens — set by ada on /);
});
