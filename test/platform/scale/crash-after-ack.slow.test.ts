/**
 * What Slack was told it delivered must survive a crash: a burst waits for a model that
 * answers nothing until the bot process is killed, and every acknowledged message is still in Postgres (Slack
 * does not send again what it got a 200 for).
 */
import { startFakeOpenAi, type FakeOpenAi } from '../../fakes/fake-openai';
import { appMentionEvent, startFakeSlack, type FakeSlack } from '../../fakes/fake-slack';
import { BotProcesses } from '../../support/bot-process';
import { rows } from '../../support/db-rows';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { eventually } from '../slack/slack-harness';
import { deliverLikeSlack, sendAll } from './scale-kit';

jest.setTimeout(45_000);

const MENTIONS = 40;
let db: TestDatabase;
let slack: FakeSlack;
let llm: FakeOpenAi;
const bots = new BotProcesses();

beforeAll(async () => {
  [db, slack, llm] = await Promise.all([createTestDatabase(), startFakeSlack(), startFakeOpenAi()]);
}, 30_000);

afterAll(async () => {
  await bots.stopAll();
  await Promise.all([slack?.close(), llm?.close()]);
  await db?.close();
});

const storedUserMessages = async () =>
  Number((await rows<{ n: string }>(db.orm, `select count(*) as n from message where role = 'user' and text like 'waiting %'`))[0]!.n);

test('every acknowledged mention is stored before it waits for the model, so a crash loses none', async () => {
  // Held, not slow: every mention is still waiting when the bot dies, however slow the machine.
  llm.hold();
  const bot = await bots.start({ databaseUrl: db.url, slackApiUrl: slack.apiUrl, openAiBaseUrl: llm.baseUrl, env: { DATABASE_POOL_MAX: '2' } });
  // A delivery that missed the store deadline on a loaded machine is answered 503 and delivered again, as by Slack.
  const acks = await sendAll(MENTIONS, 16, (i) => deliverLikeSlack(bot.eventsUrl, appMentionEvent({ channel: `CCRASH${i}`, user: 'U_LOAD', text: `<@U_BOT> waiting ${i}` })));
  expect(acks.every((a) => a.status === 200)).toBe(true);

  await eventually(async () => ((await storedUserMessages()) === MENTIONS ? true : undefined), 5_000);
  const answeredBeforeCrash = slack.callsOf('chat.postMessage').length;
  await bot.crash();

  expect(answeredBeforeCrash).toBe(0);
  expect(await storedUserMessages()).toBe(MENTIONS);
});
