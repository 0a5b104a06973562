/**
 * 👍/👎 on answers in Slack: the feedback buttons Slack's AI apps use, one typed row per
 * person and answer in Postgres, refused from another workspace, and counted by `feedback`.
 */
import { APPROVE_ACTION, FEEDBACK_ACTION } from '../../../src/core/model/action-ids';
import { chatAnswer, requestAnswer } from '../../fakes/fake-openai';
import type { FakeSlackCall } from '../../fakes/fake-slack';
import { rows } from '../../support/db-rows';
import { eventually, startSlackHarness, type SlackHarness } from './slack-harness';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness();
});
afterAll(() => h.close());

type Block = { type: string; text?: { text: string }; elements?: Record<string, unknown>[] };
const blocksOf = (call: FakeSlackCall) => (call.params.blocks ?? []) as Block[];

interface FeedbackRow {
  message_id: string;
  user_id: string;
  user_name: string;
  rating: string;
}
const ratingsIn = (channel: string) =>
  rows<FeedbackRow>(
    h.db.orm,
    `select f.message_id, f.user_id, f.user_name, f.rating from answer_feedback f
     join message m on m.id = f.message_id join conversation c on c.id = m.conversation_id
     where c.platform = 'slack' and c.channel_id = ? order by f.created_at`,
    [channel],
  );

/** Asks a question in `channel` and returns the stored answer's id and the answer as posted. */
async function answered(channel: string, ts: string, question: string, answer: string) {
  h.answer(question, chatAnswer(answer));
  await h.mention({ channel, user: 'U1', text: question, ts });
  const posted = await eventually(() => h.callsIn(channel, 'chat.postMessage').find((c) => c.params.text === answer));
  const stored = await eventually(async () => (await h.stored(channel)).find((r) => r.role === 'assistant' && r.text === answer));
  return { id: stored.id, posted };
}

/** A click on one side of an answer's feedback buttons. */
const rate = (input: { channel: string; user: string; value: string; messageTs: string; threadTs: string; team?: string }) =>
  h.click({ ...input, actionId: FEEDBACK_ACTION, element: 'feedback_buttons' });

describe('Slack feedback on answers', () => {
  test("an answer carries Slack's feedback buttons in a context_actions block, naming its stored message", async () => {
    const { id, posted } = await answered('CFB1', '1600007001.000100', 'is the build green?', 'It is green.');

    expect(posted.error).toBeUndefined();
    expect(posted.params).toMatchObject({ thread_ts: '1600007001.000100', text: 'It is green.' });
    expect(blocksOf(posted)).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: 'It is green.' } },
      {
        type: 'context_actions',
        elements: [
          expect.objectContaining({
            type: 'feedback_buttons',
            action_id: FEEDBACK_ACTION,
            positive_button: expect.objectContaining({ value: `${id}.positive` }),
            negative_button: expect.objectContaining({ value: `${id}.negative` }),
          }),
        ],
      },
    ]);
  });

  test('a click stores one row; the same person clicking again replaces it; another person adds a second', async () => {
    const channel = 'CFB2';
    const threadTs = '1600007002.000100';
    const { id, posted } = await answered(channel, threadTs, 'which region?', 'eu-west-1.');
    const at = { channel, messageTs: String(posted.answer?.ts), threadTs };

    await rate({ ...at, user: 'U1', value: `${id}.positive` });
    const thanks = await eventually(() => h.callsIn(channel, 'chat.postEphemeral')[0]);
    expect(thanks.params).toMatchObject({ user: 'U1', thread_ts: threadTs, text: expect.stringContaining('👍') });
    expect(await ratingsIn(channel)).toEqual([{ message_id: id, user_id: 'U1', user_name: 'user-u1', rating: 'positive' }]);

    await rate({ ...at, user: 'U1', value: `${id}.negative` });
    await eventually(() => h.callsIn(channel, 'chat.postEphemeral')[1]);
    expect(await ratingsIn(channel)).toEqual([{ message_id: id, user_id: 'U1', user_name: 'user-u1', rating: 'negative' }]);

    await rate({ ...at, user: 'U2', value: `${id}.positive` });
    await eventually(() => h.callsIn(channel, 'chat.postEphemeral')[2]);
    expect(await ratingsIn(channel)).toEqual([
      { message_id: id, user_id: 'U1', user_name: 'user-u1', rating: 'negative' },
      { message_id: id, user_id: 'U2', user_name: 'user-u2', rating: 'positive' },
    ]);
  });

  test("a forged click naming this workspace's answer from another workspace, or another channel, rates nothing", async () => {
    const channel = 'CFB3';
    const threadTs = '1600007003.000100';
    const { id } = await answered(channel, threadTs, 'who is on call?', 'Ana is.');

    await rate({ team: 'T2', channel, user: 'U9', value: `${id}.negative`, messageTs: '1600007003.999900', threadTs });
    await rate({ channel: 'CFB3X', user: 'U9', value: `${id}.negative`, messageTs: '1600007003.999800', threadTs });

    const refusals = await eventually(() => {
      const notes = [...h.callsIn(channel, 'chat.postEphemeral'), ...h.callsIn('CFB3X', 'chat.postEphemeral')];
      return notes.length === 2 ? notes : undefined;
    });
    expect(refusals.map((c) => c.params.text)).toEqual([expect.stringContaining('not one of my answers'), expect.stringContaining('not one of my answers')]);
    expect(await ratingsIn(channel)).toEqual([]);
  });

  test("`/switchboard feedback` answers privately with this channel's counts, and another workspace's channel of the same id sees none of them", async () => {
    const channel = 'CFB4';
    const first = await answered(channel, '1600007004.000100', 'first?', 'One.');
    const second = await answered(channel, '1600007004.000200', 'second?', 'Two.');
    const at = (ts: string) => ({ channel, messageTs: '1600007004.500000', threadTs: ts });
    await rate({ ...at('1600007004.000100'), user: 'U1', value: `${first.id}.positive` });
    await rate({ ...at('1600007004.000100'), user: 'U2', value: `${first.id}.positive` });
    await rate({ ...at('1600007004.000200'), user: 'U1', value: `${second.id}.negative` });
    await eventually(async () => ((await ratingsIn(channel)).length === 3 ? true : undefined));

    const here = await h.command({ channel, user: 'U3', command: '/switchboard', text: 'feedback' });
    const elsewhere = await h.command({ team: 'T2', channel, user: 'U3', command: '/switchboard', text: 'feedback' });

    const [answer] = await eventually(() => (here.responses().length ? here.responses() : undefined));
    expect(answer!.params).toMatchObject({ response_type: 'ephemeral', text: 'Feedback on the last 2 answers in this channel: 👍 2, 👎 1.' });
    const [other] = await eventually(() => (elsewhere.responses().length ? elsewhere.responses() : undefined));
    expect(other!.params.text).toBe('No answers to rate in this channel yet.');
    expect(h.callsIn(channel, 'chat.postMessage').filter((c) => String(c.params.text).includes('Feedback on'))).toEqual([]);
  });

  test("a run's final answer carries the buttons, and a click on it is stored like any other", async () => {
    const channel = 'CFB5';
    const threadTs = '1600007005.000100';
    h.answer('count down from 1', requestAnswer('Count down', [{ tool: 'countdown', args: { steps: 1, delayMs: 0 } }]));
    await h.mention({ channel, user: 'U1', text: 'count down from 1', ts: threadTs });
    const card = await eventually(async () => (await h.stored(channel)).find((r) => r.message_type === 'agent_request' && r.platform_message_id));

    await h.click({ channel, user: 'U1', actionId: APPROVE_ACTION, value: `${card.request_id}.${card.plan_hash}`, messageTs: card.platform_message_id!, threadTs });

    const result = await eventually(async () => (await h.stored(channel)).find((r) => r.message_type === 'agent_result' && r.platform_message_id), 8000);
    const posted = h.callsIn(channel, 'chat.postMessage').find((c) => c.answer?.ts === result.platform_message_id)!;
    expect(blocksOf(posted).at(-1)).toMatchObject({ type: 'context_actions', elements: [{ type: 'feedback_buttons', positive_button: { value: `${result.id}.positive` } }] });
    const progress = (await h.stored(channel)).find((r) => r.message_type === 'agent_progress')!;
    expect(h.callsIn(channel, 'chat.postMessage').find((c) => c.answer?.ts === progress.platform_message_id)?.params.blocks ?? []).not.toContainEqual(expect.objectContaining({ type: 'context_actions' }));

    await rate({ channel, user: 'U2', value: `${result.id}.positive`, messageTs: result.platform_message_id!, threadTs });
    await eventually(async () => ((await ratingsIn(channel)).length === 1 ? true : undefined));
    expect(await ratingsIn(channel)).toEqual([{ message_id: result.id, user_id: 'U2', user_name: 'user-u2', rating: 'positive' }]);
  });
});
