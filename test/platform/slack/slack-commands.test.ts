/**
 * Slash commands: acked at once, answered privately through the response URL, the context
 * flows including the clear confirmation, and `/switchboard <command>` for the rest.
 */
import { CLEAR_CONTEXT_CONFIRM_ACTION } from '../../../src/core/model/action-ids';
import { rows } from '../../support/db-rows';
import { eventually, startSlackHarness, type Interaction, type SlackHarness } from './slack-harness';

let h: SlackHarness;
beforeAll(async () => {
  h = await startSlackHarness();
});
afterAll(() => h.close());

/** The first private answer to an interaction, once it has arrived. */
const answer = (interaction: Interaction) => eventually(() => interaction.responses()[0]);
const facts = (channel: string) =>
  rows<{ key: string; value: unknown }>(
    h.db.orm,
    `select x.context_key as key, x.context_value as value from conversation_context x join conversation c on c.id = x.conversation_id where c.channel_id = ? order by x.context_key`,
    [channel],
  );

describe('Slack slash commands', () => {
  test('/context set, list, filter by type and forget answer privately and change what is stored', async () => {
    const channel = 'CCMD1';
    const run = (text: string) => h.command({ channel, user: 'U1', command: '/context', text });

    // The private answer is held: the ack must not wait for the work it starts.
    const releaseAnswer = h.slack.hold('response_url');
    const set = await run('set technology database postgres 16').finally(releaseAnswer);
    expect(set.ack).toMatchObject({ status: 200, body: '' });
    expect((await answer(set)).params).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('Noted technology "database": "postgres 16"') });
    expect(await facts(channel)).toEqual([{ key: 'database', value: 'postgres 16' }]);

    // Answered once stored: commands run side by side, so the listing waits for the answer.
    await answer(await run('set preference tone terse'));
    const all = await answer(await run(''));
    expect(all.params.text).toMatch(/\*preference\*\n• tone: terse[\s\S]*\*technology\*\n• database: postgres 16/);
    const onlyTech = await answer(await run('technology'));
    expect(onlyTech.params.text).toContain('database: postgres 16');
    expect(onlyTech.params.text).not.toContain('tone');

    const forget = await answer(await run('forget database'));
    expect(forget.params.text).toContain('Forgot "database"');
    expect(await facts(channel)).toEqual([{ key: 'tone', value: 'terse' }]);
  });

  test('/context clear asks with buttons first; confirming replaces the private question and forgets everything', async () => {
    const channel = 'CCMD2';
    await answer(await h.command({ channel, user: 'U1', command: '/context', text: 'set project name apollo' }));

    const question = await answer(await h.command({ channel, user: 'U1', command: '/context', text: 'clear' }));
    expect(question.params).toMatchObject({ response_type: 'ephemeral' });
    const buttons = (question.params.blocks as { type: string; elements?: { action_id: string; value: string }[] }[]).find((b) => b.type === 'actions')!.elements!;
    expect(buttons.map((b) => b.action_id)).toContain(CLEAR_CONTEXT_CONFIRM_ACTION);
    expect(await facts(channel)).toHaveLength(1);

    const confirm = buttons.find((b) => b.action_id === CLEAR_CONTEXT_CONFIRM_ACTION)!;
    const click = await h.click({ channel, user: 'U1', actionId: confirm.action_id, value: confirm.value, messageTs: '1600002000.000100' }, (payload) => {
      // What Slack sends for a click on an ephemeral message: no message, an ephemeral container.
      delete payload.message;
      (payload.container as Record<string, unknown>).is_ephemeral = true;
    });

    const done = await answer(click);
    expect(done.params).toMatchObject({ replace_original: true, blocks: [], text: expect.stringContaining('Forgot 1 fact') });
    expect(await facts(channel)).toEqual([]);
    expect(h.callsIn(channel, 'chat.postEphemeral')).toEqual([]);
  });

  test('/context with unknown words answers with the usage', async () => {
    const usage = await answer(await h.command({ channel: 'CCMD3', user: 'U1', command: '/context', text: 'rename everything now' }));

    expect(usage.params.text).toContain('Usage:');
    // Slack shows the escaped angle brackets as typed.
    expect(usage.params.text).toContain('context forget &lt;key&gt;');
  });

  test('/switchboard reaches every core command: help by default, and run posts a card in the channel', async () => {
    const channel = 'CCMD4';
    const help = await answer(await h.command({ channel, user: 'U1', command: '/switchboard', text: '' }));
    expect(help.params.text).toContain('!run');
    expect(help.params.text).toContain('countdown');

    await h.command({ channel, user: 'U1', command: '/switchboard', text: 'run countdown {"steps":1,"delayMs":0}' });

    const card = await eventually(() => h.callsIn(channel, 'chat.postMessage')[0]);
    expect(card.params).not.toHaveProperty('thread_ts');
    expect(JSON.stringify(card.params.blocks)).toContain('switchboard.approve');
    expect(card.error).toBeUndefined();
  });
});
