/**
 * Deciding a gate: only an allowed person, once, from where the request lives (its own card,
 * or a typed command in its workspace), with the plan exactly as shown; edits, cancels and
 * expiry end the way the card and the thread say.
 */
import { chatAnswer, toolAnswer } from '../../fakes/fake-openai';
import { useDatabaseAndModel } from '../../support/database-and-model';
import { rows } from '../../support/db-rows';
import { agentSetup, alice, bob, buttonOf, cardsOf, executed } from './agent-kit';
import { APPROVE_ACTION } from '../../../src/core/model/action-ids';
import { parseRequestValue } from '../../../src/core/approvals/request-card';

const services = useDatabaseAndModel();
beforeEach(() => {
  executed.length = 0;
  services.llm.reset();
});

const carol = { id: 'U_CAROL', name: 'carol' };

/** A pending gate for `write_note` (or `drop_table` when destructive), requested by alice. */
async function pendingGate(options: { destructive?: boolean } = {}) {
  const kit = agentSetup(services);
  kit.platform.admins.add(bob.id);
  const call = options.destructive ? { name: 'drop_table', args: { table: 'users' } } : { name: 'write_note', args: { text: 'hello' } };
  services.llm.script('chat', toolAnswer([call]));
  await kit.say('please do it');
  const card = cardsOf(kit.platform)[0]!;
  const requestId = buttonOf(card, APPROVE_ACTION).value.split('.')[0]!;
  return { ...kit, card, requestId };
}

describe('where a decision may come from', () => {
  test('a click from another workspace, another channel or another message is refused privately, and nothing runs', async () => {
    const { approve, replies, requests, card } = await pendingGate();
    await approve(bob, { at: { workspace: 'T_OTHER' } });
    await approve(bob, { at: { channel: 'C_OTHER' } });
    await approve(bob, { card, messageId: 'some-other-message' });
    expect(replies).toEqual([
      'That request belongs to another workspace; it can only be decided there.',
      "That button is not on this request's card; decide it from its card.",
      "That button is not on this request's card; decide it from its card.",
    ]);
    expect(await requests()).toMatchObject([{ status: 'pending' }]);
    expect(executed).toEqual([]);
  });

  test('a typed approval needs the request\'s workspace, and its channel unless the person is an approver', async () => {
    const { harness, where, requestId, requests } = await pendingGate();
    const replies: string[] = [];
    const type = (user: typeof bob, at: Partial<typeof where>) =>
      harness.core.handleCommand({ where: { ...where, ...at }, user, name: 'approve', args: requestId }, async (m) => {
        replies.push(m.text);
      });
    await type(bob, { workspace: 'T_OTHER' });
    await type(alice, { channel: 'C_OTHER' });
    expect(replies).toEqual(['That request belongs to another workspace; it can only be decided there.', 'That request lives in another channel: decide it there, or ask an approver.']);
    expect(await requests()).toMatchObject([{ status: 'pending' }]);
    await type(bob, { channel: 'C_OTHER' });
    await harness.queue.drain();
    expect(await requests()).toMatchObject([{ status: 'approved' }]);
  });

  test('a typed approval of a destructive request asks for `confirm`', async () => {
    const { harness, where, requestId, requests } = await pendingGate({ destructive: true });
    const replies: string[] = [];
    const type = (args: string) => harness.core.handleCommand({ where, user: bob, name: 'approve', args }, async (m) => void replies.push(m.text));
    await type(requestId);
    expect(replies).toEqual([`This request is destructive. If you are sure, type: !approve ${requestId} confirm`]);
    expect(await requests()).toMatchObject([{ status: 'pending' }]);
    services.llm.script('chat', chatAnswer('Dropped.'));
    await type(`${requestId} confirm`);
    await harness.queue.drain();
    expect(executed).toEqual([{ tool: 'drop_table', args: { table: 'users' } }]);
  });

  test('a non-approver cannot approve a destructive request, and a double click decides once', async () => {
    const { approve, replies, requests } = await pendingGate({ destructive: true });
    await approve(carol);
    expect(replies).toEqual(['This request is destructive: only a workspace admin can approve it.']);
    services.llm.script('chat', chatAnswer('Done.'));
    await Promise.all([approve(bob), approve(bob)]);
    expect(executed).toHaveLength(1);
    expect(replies.slice(1)).toEqual(['You already approved this request.']);
    expect(await requests()).toMatchObject([{ status: 'approved' }]);
  });
});

describe('editing a gate', () => {
  test('the call that runs uses the edited arguments, and an Approve from the card as it was is refused', async () => {
    const { platform, edit, approve, replies, requests, calls, card } = await pendingGate();
    const callId = (await rows<{ id: string }>(services.db.orm, `select id from tool_call where tool = 'write_note' order by created_at desc limit 1`))[0]!.id;
    const hashBefore = (await requests())[0]!.plan_hash;
    await edit({ [callId]: '{"text":"edited"}' });
    expect(replies.at(-1)).toBe('Edited: the card shows the new arguments, and it needs a decision again.');
    const hashAfter = (await requests())[0]!.plan_hash;
    expect(hashAfter).not.toBe(hashBefore);
    const edited = platform.updates().at(-1)!.message;
    expect(JSON.stringify(edited.card)).toContain('{\\"text\\":\\"edited\\"}');
    await approve(bob, { card });
    expect(replies.at(-1)).toBe('The calls were edited after that card was shown: look at the card again before deciding.');
    expect(executed).toEqual([]);
    services.llm.script('chat', chatAnswer('Wrote it.'));
    const value = edited.card!.elements.flatMap((e) => (e.type === 'actions' ? e.buttons : [])).find((b) => b.actionId === APPROVE_ACTION)!.value;
    expect(parseRequestValue(value).planHash).toBe(hashAfter);
    await approve(bob, { card, value });
    expect(executed).toEqual([{ tool: 'write_note', args: { text: 'edited' } }]);
    expect((await calls())[0]).toMatchObject({ args: { text: 'edited' }, status: 'succeeded' });
  });

  test('edited arguments the tool refuses change nothing, and the reply quotes the schema', async () => {
    const { edit, replies, requests } = await pendingGate();
    const callId = (await rows<{ id: string }>(services.db.orm, `select id from tool_call where tool = 'write_note' order by created_at desc limit 1`))[0]!.id;
    const before = await requests();
    await edit({ [callId]: JSON.stringify({ text: 'x'.repeat(40) }) });
    expect(replies.at(-1)).toMatch(/^Nothing was changed: the arguments of call 1 \(write_note\) are invalid: .*text/);
    expect(await requests()).toEqual(before);
  });
});

describe('ending a gate without a decision', () => {
  test('Cancel while the gate waits ends the run at once: the card says cancelled, the thread is told, nothing ran', async () => {
    const { harness, where, requestId, platform, card, requests, runs } = await pendingGate();
    const replies: string[] = [];
    await harness.core.handleCommand({ where, user: alice, name: 'cancel', args: requestId }, async (m) => void replies.push(m.text));
    await harness.queue.drain();
    expect(replies).toEqual(['Cancelled; nothing more ran.']);
    expect(await runs()).toMatchObject([{ status: 'cancelled' }]);
    expect(await requests()).toMatchObject([{ status: 'cancelled' }]);
    expect(platform.posts().at(-1)!.message.text).toBe('⏹️ Cancelled by alice; the run stopped.');
    const cardEdit = platform.updates().filter((u) => u.posted.messageId === card.messageId).at(-1)!;
    expect(cardEdit.message.text).toContain('Cancelled; nothing ran');
    expect(executed).toEqual([]);
  });

  test('an expired gate ends its run with a message, and its card says so', async () => {
    const { harness, platform, card, requests, runs } = await pendingGate();
    await rows(services.db.orm, `update agent_request set expires_at = now() - interval '1 second' where status = 'pending'`);
    await harness.core.expireDueRequests();
    await harness.queue.drain();
    expect(await requests()).toMatchObject([{ status: 'expired' }]);
    expect(await runs()).toMatchObject([{ status: 'expired', error_code: 'expired' }]);
    expect(platform.posts().at(-1)!.message.text).toBe('⌛ The request expired with no decision; nothing was run, and the run ended. Ask again with a new message here if it is still needed.');
    expect(platform.updates().filter((u) => u.posted.messageId === card.messageId).at(-1)!.message.text).toContain('Expired with no decision');
  });
});
