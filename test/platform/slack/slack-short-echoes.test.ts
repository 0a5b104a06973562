/**
 * Issue #14, item 7: whatever a person sends is repeated back as one short, quoted prefix,
 * never at length. A 100 KB value in a button, a request id, a command name, a tool name
 * or a context key gets ONE short private message, through Bolt against the fake Slack.
 */
import { APPROVE_ACTION, CANCEL_ACTION } from '../../../src/core/model/action-ids';
import { eventually, startSlackHarness, type Interaction, type SlackHarness } from './slack-harness';

/** Long enough that the old echo came back as a dozen messages. */
const HUGE = 'x'.repeat(100 * 1024);
/** The longest private answer an echo may make: the sentence around a 40-character quote. */
const SHORT = 200;

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness();
});
afterAll(() => h.close());

/** Every private answer to `interaction`, after a pause long enough for a split reply's later parts. */
async function answers(interaction: Interaction): Promise<string[]> {
  await eventually(() => interaction.responses()[0]);
  await new Promise((resolve) => setTimeout(resolve, 100));
  return interaction.responses().map((r) => String(r.params.text));
}

describe('echoes of what a person sent', () => {
  test.each([
    ['a request id in an Approve button', APPROVE_ACTION],
    ['a request id in a Cancel button', CANCEL_ACTION],
  ])('%s of 100 KB comes back as one short private message', async (_what, actionId) => {
    const channel = `CECHO-${actionId}`;
    await h.click({ channel, user: 'U1', actionId, value: HUGE, messageTs: '1600004000.000100' });

    const posted = await eventually(() => (h.callsIn(channel, 'chat.postEphemeral').length ? h.callsIn(channel, 'chat.postEphemeral') : undefined));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(h.callsIn(channel, 'chat.postEphemeral')).toHaveLength(1);
    const text = String(posted[0]!.params.text);
    // Cancel takes a run's id or a request's.
    expect(text).toBe(`I can't find ${actionId === CANCEL_ACTION ? 'run or request' : 'request'} "${'x'.repeat(40)}…".`);
    expect(await h.stored(channel)).toEqual([]);
  });

  test.each([
    ['a request id after /switchboard approve', '/switchboard', `approve ${HUGE}`, `I can't find request "${'x'.repeat(40)}…".`],
    ['a request id after /switchboard cancel', '/switchboard', `cancel ${HUGE}`, `I can't find run or request "${'x'.repeat(40)}…".`],
    ['an unknown command name', '/switchboard', HUGE, `Unknown command "${'x'.repeat(40)}…". Commands: `],
    ['a tool name after /switchboard run', '/switchboard', `run ${HUGE} {}`, `Can't run that: "${'x'.repeat(40)}…" is not a tool available in this channel. Try !help for the tools.`],
    ['a context key to forget', '/context', `forget ${HUGE}`, `I had nothing under "${'x'.repeat(40)}…". Try !context to see the keys.`],
  ])('%s of 100 KB comes back as one short private message', async (_what, command, text, expected) => {
    const channel = 'CECHO-CMD';
    const said = await answers(await h.command({ channel, user: 'U1', command, text }));

    expect(said).toHaveLength(1);
    expect(said[0]!.startsWith(expected)).toBe(true);
    expect(said[0]!.length).toBeLessThan(SHORT);
  });

  test('an echo cannot mention the channel or break out of a code block', async () => {
    const channel = 'CECHO-MARKUP';
    await h.click({ channel, user: 'U1', actionId: APPROVE_ACTION, value: '<!channel> ```\nsee `this`', messageTs: '1600004001.000100' });

    const [posted] = await eventually(() => (h.callsIn(channel, 'chat.postEphemeral').length ? h.callsIn(channel, 'chat.postEphemeral') : undefined));
    expect(posted!.params.text).toBe(`I can't find request "&lt;!channel&gt; ''' see 'this'".`);
  });
});
