import { chatAnswer, requestAnswer } from '../fakes/fake-openai';
import { buildCore, type Harness } from '../support/core-harness';
import { rows } from '../support/db-rows';
import { RecordingPlatform } from '../support/recording-platform';
import { APPROVE_ACTION } from '../../src/core/model/action-ids';
import { defineTool } from '../../src/tools/define-tool';
import { countdownTool } from '../../src/tools/countdown';
import { z } from 'zod';
import { useDatabaseAndModel } from '../support/database-and-model';

const dropTable = defineTool({
  name: 'drop_table',
  description: 'Drops a table',
  input: z.object({ table: z.string() }),
  destructive: true,
  execute: async () => ({ text: 'dropped' }),
});

const services = useDatabaseAndModel();

let n = 0;
function setup(extra: { llmTimeoutMs?: number; llmMaxRetries?: number } = {}) {
  const platform = new RecordingPlatform('slack');
  const harness: Harness = buildCore({ orm: services.db.orm, platforms: [platform], openAiBaseUrl: services.llm.baseUrl, tools: [countdownTool, dropTable], ...extra });
  const channel = `C${++n}`;
  const where = { platform: 'slack' as const, workspace: 'T1', channel, thread: '1.0' };
  const say = (text: string, id = `${Date.now()}.${Math.random()}`) =>
    harness.core.handleMessage({ where, messageId: id, author: { id: 'U1', name: 'alice' }, text });
  const stored = () => rows<{ role: string; message_type: string; text: string; request_status: string | null }>(
    services.db.orm,
    `select m.role, m.message_type, m.text, m.request_status from message m join conversation c on c.id = m.conversation_id
     where c.channel_id = ? order by m.created_at, m.id`,
    [channel],
  );
  return { platform, harness, where, say, stored };
}

describe('intent detection', () => {
  it('answers chat in the thread and stores both turns', async () => {
    const { platform, say, stored, where } = setup();
    services.llm.script('intent', chatAnswer('Hello Alice!'));
    await say('hi there');
    expect(platform.posts().map((p) => [p.where, p.message.text])).toEqual([[where, 'Hello Alice!']]);
    expect(await stored()).toEqual([
      { role: 'user', message_type: 'text', text: 'hi there', request_status: null },
      { role: 'assistant', message_type: 'text', text: 'Hello Alice!', request_status: null },
    ]);
  });

  it('posts an approval card for a valid request and stores it pending', async () => {
    const { platform, say, stored } = setup();
    services.llm.script('intent', requestAnswer('Count down', [{ tool: 'countdown', args: { steps: 2, delayMs: 0 } }]));
    await say('count down from 2 please');
    const card = platform.posts()[0]!.message.card!;
    const buttons = card.elements.find((e) => e.type === 'actions');
    expect(buttons).toMatchObject({ buttons: [{ actionId: APPROVE_ACTION, label: 'Approve' }, { label: 'Deny' }] });
    expect((await stored())[1]).toMatchObject({ message_type: 'agent_request', request_status: 'pending' });
  });

  it('refuses an unknown tool with a clear reply and shows no card', async () => {
    const { platform, say, stored } = setup();
    services.llm.script('intent', requestAnswer('Do magic', [{ tool: 'teleport', args: {} }]));
    await say('teleport me');
    expect(platform.posts()).toHaveLength(1);
    expect(platform.posts()[0]!.message.card).toBeUndefined();
    expect(platform.posts()[0]!.message.text).toContain('unknown tool "teleport"');
    expect((await stored()).map((r) => r.message_type)).toEqual(['text', 'text']);
  });

  it('refuses arguments that fail the tool schema', async () => {
    const { platform, say } = setup();
    services.llm.script('intent', requestAnswer('Count', [{ tool: 'countdown', args: { steps: 99 } }]));
    await say('count down from 99');
    expect(platform.posts()[0]!.message.text).toMatch(/countdown: .*steps/);
  });

  it('marks a request destructive when its tool is, whatever the model says', async () => {
    const { platform, say } = setup();
    services.llm.script('intent', requestAnswer('Drop it', [{ tool: 'drop_table', args: { table: 'users' } }], false));
    await say('drop users');
    const card = platform.posts()[0]!.message.card!;
    expect(card.accent).toBe('danger');
    const actions = card.elements.find((e) => e.type === 'actions');
    expect(actions).toMatchObject({ buttons: [{ confirm: expect.objectContaining({ title: expect.any(String) }) }, {}] });
  });

  it('answers a malformed model answer clearly and keeps the message', async () => {
    const { platform, say, stored } = setup();
    services.llm.script('intent', { content: '{"kind": "chat", "reply": ' });
    await say('are you ok?');
    expect(platform.posts()[0]!.message.text).toMatch(/didn't make sense/);
    expect((await stored())[0]).toMatchObject({ role: 'user', text: 'are you ok?' });
  });

  it('retries a 429 and then answers', async () => {
    const { platform, say } = setup({ llmMaxRetries: 2 });
    services.llm.script('intent', { status: 429, retryAfter: 0 }, chatAnswer('after the retry'));
    await say('hello?');
    expect(platform.posts()[0]!.message.text).toBe('after the retry');
  });

  it('tells the user when the model times out, and keeps the message', async () => {
    const { platform, say, stored } = setup({ llmTimeoutMs: 200 });
    services.llm.script('intent', { ...chatAnswer('too late'), delayMs: 1000 });
    await say('slow question');
    expect(platform.posts()[0]!.message.text).toMatch(/took too long/);
    expect((await stored())[0]).toMatchObject({ text: 'slow question' });
  });

  it('runs an approved request with progress edits and a result', async () => {
    const { platform, say, harness, where, stored } = setup();
    services.llm.script('intent', requestAnswer('Count down', [{ tool: 'countdown', args: { steps: 3, delayMs: 20 } }]));
    await say('count down from 3');
    const card = platform.posts()[0]!;
    const requestId = (card.message.card!.elements.find((e) => e.type === 'actions') as { buttons: readonly { value: string }[] }).buttons[0]!.value;
    await harness.core.handleAction({ where, messageId: card.messageId, actionId: APPROVE_ACTION, value: requestId, user: { id: 'U1', name: 'alice' } });
    await harness.queue.drain();
    const texts = platform.posts().map((p) => p.message.text);
    expect(texts[2]).toContain('Lift-off after 3 steps');
    const progressEdits = platform.updates().filter((u) => u.posted.messageId === platform.posts()[1]!.messageId);
    expect(progressEdits.at(-1)!.message.text).toContain('Run finished');
    expect((await stored()).map((r) => [r.message_type, r.request_status])).toEqual([
      ['text', null],
      ['agent_request', 'succeeded'],
      ['agent_progress', null],
      ['agent_result', null],
    ]);
  });
});
