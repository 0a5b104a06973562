/**
 * Issue #14, item 3: a "clear context" confirmation is a one-time token issued to one
 * person in one channel. Forged, borrowed, reused and expired tokens clear nothing; the
 * real one clears once. Through Bolt, against the fake Slack, with the rows in Postgres.
 */
import { CLEAR_CONTEXT_CONFIRM_ACTION } from '../../../src/core/model/action-ids';
import { CLEAR_CONFIRM_TTL_MS } from '../../../src/core/conversation/commands/context-command';
import { rows } from '../../support/db-rows';
import { eventually, startSlackHarness, type Interaction, type SlackHarness } from './slack-harness';

const REFUSED = 'That confirmation is not valid here (it expired, was already used, or was not asked for by you in this channel); run !context clear again.';

let h: SlackHarness;
let skewMs = 0;
beforeAll(async () => {
  h = await startSlackHarness({ clock: { now: () => new Date(Date.now() + skewMs) } });
});
afterAll(() => h.close());
afterEach(() => {
  skewMs = 0;
});

/** The one private answer to an interaction, once it has arrived. */
const answer = async (interaction: Interaction) => (await eventually(() => interaction.responses()[0])).params;
const facts = (channel: string) =>
  rows<{ key: string }>(h.db.orm, `select x.context_key as key from conversation_context x join conversation c on c.id = x.conversation_id where c.channel_id = ? order by 1`, [channel]);
const confirmations = () => rows<{ user_id: string; channel_id: string; used: boolean }>(h.db.orm, 'select user_id, channel_id, used_at is not null as used from confirmation where channel_id in (\'CFC1\', \'CFC2\') order by created_at');

/** `/context <text>` by `user` in `channel`; resolves to the private answer. */
const context = async (channel: string, user: string, text: string) => answer(await h.command({ channel, user, command: '/context', text }));

/** Asks to clear and returns the token the "Forget everything" button carries. */
async function askToClear(channel: string, user: string): Promise<string> {
  const question = await context(channel, user, 'clear');
  const buttons = (question.blocks as { type: string; elements?: { action_id: string; value: string }[] }[]).find((b) => b.type === 'actions')!.elements!;
  return buttons.find((b) => b.action_id === CLEAR_CONTEXT_CONFIRM_ACTION)!.value;
}

/** Clicks "Forget everything" with `token`, as `user` in `channel`, on the private question; resolves to the answer. */
async function confirm(channel: string, user: string, token: string) {
  const click = await h.click({ channel, user, actionId: CLEAR_CONTEXT_CONFIRM_ACTION, value: token, messageTs: '1600003000.000100' }, (payload) => {
    delete payload.message;
    (payload.container as Record<string, unknown>).is_ephemeral = true;
  });
  expect(click.ack.status).toBe(200);
  return answer(click);
}

describe('the clear-context confirmation', () => {
  test('is refused from another user, another channel, with a made-up token or a forged timestamp, and clears nothing', async () => {
    await context('CFC1', 'U1', 'set project name apollo');
    await context('CFC2', 'U1', 'set project name hermes');
    const token = await askToClear('CFC1', 'U1');

    const forged = [
      await confirm('CFC1', 'U2', token),
      await confirm('CFC2', 'U1', token),
      await confirm('CFC1', 'U1', '6f1c2b9e-6a1d-4c43-9d55-2f0e8d1f4b7a'),
      await confirm('CFC1', 'U1', String(Date.now())),
    ];

    expect(forged.map((f) => f.text)).toEqual([REFUSED, REFUSED, REFUSED, REFUSED]);
    expect(await facts('CFC1')).toEqual([{ key: 'name' }]);
    expect(await facts('CFC2')).toEqual([{ key: 'name' }]);
    expect(await confirmations()).toEqual([{ user_id: 'U1', channel_id: 'CFC1', used: false }]);
  });

  test('clears once for the person who asked, in the channel they asked in, and a second click with the same token is refused', async () => {
    await context('CFC3', 'U3', 'set project name apollo');
    const token = await askToClear('CFC3', 'U3');

    expect((await confirm('CFC3', 'U3', token)).text).toBe('Forgot 1 fact about this channel.');
    expect(await facts('CFC3')).toEqual([]);

    await context('CFC3', 'U3', 'set project name artemis');
    expect((await confirm('CFC3', 'U3', token)).text).toBe(REFUSED);
    expect(await facts('CFC3')).toEqual([{ key: 'name' }]);
    expect(await rows(h.db.orm, `select used_at is not null as used from confirmation where token = ?`, [token])).toEqual([{ used: true }]);
  });

  test('expires: a token clicked after its time clears nothing', async () => {
    await context('CFC4', 'U4', 'set project name apollo');
    const token = await askToClear('CFC4', 'U4');

    skewMs = CLEAR_CONFIRM_TTL_MS + 1;

    expect((await confirm('CFC4', 'U4', token)).text).toBe(REFUSED);
    expect(await facts('CFC4')).toEqual([{ key: 'name' }]);
  });
});
