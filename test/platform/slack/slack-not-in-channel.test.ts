/**
 * A channel the bot is not a member of: every post there answers `not_in_channel`. The
 * person who asked hears privately (a direct message, since an ephemeral note in that
 * channel is refused too) how to invite the bot; nothing is posted into the channel again,
 * and what the bot did is stored.
 */
import { requestAnswer } from '../../fakes/fake-openai';
import type { FakeSlackCall } from '../../fakes/fake-slack';
import { rows } from '../../support/db-rows';
import { eventually, startSlackHarness, type SlackHarness } from './slack-harness';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness();
});
afterAll(() => h.close());

/** Every call the bot made into `channel` that shows something there. */
const shownIn = (channel: string): FakeSlackCall[] => ['chat.postMessage', 'chat.postEphemeral', 'chat.startStream', 'chat.update'].flatMap((m) => h.callsIn(channel, m));
const dmsTo = (user: string): string[] => h.callsIn(`D${user}`, 'chat.postMessage').map((c) => String(c.params.text));
const errorsLogged = () => h.logLines().filter((l) => Number(l.level) >= 50);

const runOf = async (channel: string) =>
  (
    await rows<{ status: string; error_code: string | null; request_status: string }>(
      h.db.orm,
      `select r.status, r.error_code, q.status as request_status
       from agent_run r join conversation c on c.id = r.conversation_id join agent_request q on q.run_id = r.id where c.channel_id = ?`,
      [channel],
    )
  )[0];

describe('a channel the bot is not in', () => {
  test('a card that cannot be posted ends its run, stored, and the person gets one private hint naming the bot; nothing else is posted there', async () => {
    h.slack.leaveChannel('COUT1');
    h.answer('drop the users table', requestAnswer('Drop users', [{ tool: 'drop_table', args: { table: 'users' } }]));
    await h.mention({ channel: 'COUT1', user: 'U1', text: 'drop the users table' });
    await eventually(async () => (await runOf('COUT1'))?.status === 'failed' || undefined);
    await eventually(() => dmsTo('U1')[0]);
    await h.core.core.idle();

    expect(shownIn('COUT1').map((c) => [c.method, c.error])).toEqual([['chat.postMessage', 'not_in_channel']]);
    expect(dmsTo('U1')).toEqual([
      'I could not answer you in that channel: I am not a member of it, or may not post there. Invite me with /invite @switchboard, then ask again.',
    ]);
    expect(await runOf('COUT1')).toEqual({ status: 'failed', error_code: 'not_in_channel', request_status: 'cancelled' });
    const stored = await h.stored('COUT1');
    expect(stored.map((r) => [r.message_type, r.platform_message_id])).toEqual([
      ['text', expect.any(String)],
      ['agent_result', null],
    ]);
    expect(errorsLogged()).toEqual([]);
  });

  test('an answer that cannot be posted is stored as given, and the person gets one private hint', async () => {
    h.slack.leaveChannel('COUT2');
    await h.mention({ channel: 'COUT2', user: 'U2', text: 'what is our on-call rota?' });
    await eventually(async () => (await h.stored('COUT2')).find((r) => r.role === 'assistant'));
    await eventually(() => dmsTo('U2')[0]);
    await h.core.core.idle();

    expect(shownIn('COUT2').map((c) => [c.method, c.error])).toEqual([['chat.postMessage', 'not_in_channel']]);
    expect(dmsTo('U2')).toHaveLength(1);
    expect(dmsTo('U2')[0]).toContain('Invite me with /invite @switchboard');
    const answer = (await h.stored('COUT2')).filter((r) => r.role === 'assistant');
    expect(answer.map((r) => [r.text, r.platform_message_id])).toEqual([['re: what is our on-call rota?', null]]);
    expect(errorsLogged()).toEqual([]);
  });
});
