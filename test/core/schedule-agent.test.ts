/**
 * Scheduled work and the agent's gates: a firing's tool calls stop at a card like the owner's
 * own would, and the model's `schedule_task` makes a schedule only once a person approves the
 * exact cron and prompt on its card.
 */
import { z } from 'zod';
import { APPROVE_ACTION } from '../../src/core/model/action-ids';
import type { Person } from '../../src/core/model/conversation';
import { defineTool } from '../../src/tools/define-tool';
import { scheduleTaskTool } from '../../src/tools/schedule-task';
import { chatAnswer, startFakeOpenAi, toolAnswer, type FakeOpenAi } from '../fakes/fake-openai';
import { buildMemoryCore } from '../support/memory-core';
import { createMemoryStores, type MemoryStores } from '../support/memory-stores';
import type { PlatformCall } from '../support/recording-platform';
import { addSchedule, botProcess, firingRoots, newChannel, other, owner, sweep, toNextMinute, type BotProcess } from '../support/schedule-processes';

let llm: FakeOpenAi;
beforeAll(async () => {
  llm = await startFakeOpenAi();
});
afterAll(() => llm.close());
beforeEach(() => llm.reset());

const notes: string[] = [];
const writeNoteTool = defineTool({
  name: 'write_note',
  description: 'Writes a note',
  input: z.object({ text: z.string() }),
  execute: async ({ text }) => {
    notes.push(text);
    return { text: `wrote ${text}` };
  },
});

const process = (stores: MemoryStores): BotProcess =>
  botProcess((options) => buildMemoryCore({ ...options, stores }), 'p', {
    openAiBaseUrl: llm.baseUrl,
    tools: [writeNoteTool, scheduleTaskTool({ schedules: stores.schedules, clock: stores.clock, timeZone: 'Europe/Paris' })],
  });

type Post = Extract<PlatformCall, { kind: 'post' }>;
const isCard = (post: Post) => post.message.card?.elements.some((e) => e.type === 'actions' && e.buttons.some((b) => b.actionId === APPROVE_ACTION)) ?? false;
const cardText = (post: Post) => JSON.stringify(post.message.card);

/** `user` clicks Approve on `card` where it was posted, and everything it set going finishes. */
async function approve(p: BotProcess, card: Post, user: Person): Promise<void> {
  const button = card.message.card!.elements.flatMap((e) => (e.type === 'actions' ? e.buttons : [])).find((b) => b.actionId === APPROVE_ACTION)!;
  await p.harness.core.handleAction({ where: card.where, messageId: card.messageId, actionId: APPROVE_ACTION, value: button.value, user });
  await p.harness.queue.drain();
  await p.harness.core.idle();
}

test('a firing that calls a gated tool posts a card in its thread that an approver approves, and the run finishes there', async () => {
  const stores = createMemoryStores();
  const p = process(stores);
  p.platform.admins.add(other.id);
  const where = newChannel();
  await addSchedule(p, where, '"* * * * *" note the on-call handover');
  llm.script('chat', toolAnswer([{ name: 'write_note', args: { text: 'handover' } }], 'Noting the handover'), chatAnswer('Noted the handover.'));

  toNextMinute(stores.clock);
  await sweep([p]);
  const [root] = firingRoots([p], where);
  const card = p.platform.posts().find(isCard)!;
  expect(card.where.thread).toBe(root!.messageId);
  expect(cardText(card)).toContain('write_note');
  expect(notes).toEqual([]);

  await approve(p, card, other);
  expect(notes).toEqual(['handover']);
  expect(p.platform.posts().at(-1)).toMatchObject({ where: { thread: root!.messageId }, message: { text: 'Noted the handover.' } });
  const [run] = await stores.runs.recentRuns(where, 1);
  expect(run).toMatchObject({ status: 'succeeded', requestedBy: owner });
});

test('schedule_task proposed by the model shows the cron and the prompt on a card; approved, the schedule exists, owned by the requester, in the run\'s channel', async () => {
  const stores = createMemoryStores();
  const p = process(stores);
  const where = { ...newChannel(), thread: '1700000000.000100' };
  llm.script(
    'chat',
    toolAnswer([{ name: 'schedule_task', args: { cron: '0 9 * * 1-5', prompt: 'Summarise the new messages in #incidents' } }], 'I can do that every weekday morning.'),
    chatAnswer('Done: every weekday at 9:00.'),
  );
  await p.harness.core.handleMessage({ where, messageId: '1700000000.000100', author: owner, text: 'every weekday at 9:00, summarise #incidents' });
  await p.harness.queue.drain();

  const card = p.platform.posts().find(isCard)!;
  expect(cardText(card)).toContain('0 9 * * 1-5');
  expect(cardText(card)).toContain('Europe/Paris');
  expect(cardText(card)).toContain('Summarise the new messages in #incidents');
  expect(await stores.schedules.inConversation(where, 10)).toEqual([]);

  await approve(p, card, owner);
  const [schedule] = await stores.schedules.inConversation(where, 10);
  expect(schedule).toMatchObject({ cron: '0 9 * * 1-5', timeZone: 'Europe/Paris', prompt: 'Summarise the new messages in #incidents', owner, state: 'active', conversation: { channel: where.channel } });
  expect(p.platform.posts().at(-1)!.message.text).toBe('Done: every weekday at 9:00.');
});

test('schedule_task with a bad cron never reaches a card: the model reads why', async () => {
  const stores = createMemoryStores();
  const p = process(stores);
  const where = { ...newChannel(), thread: '1700000000.000200' };
  llm.script('chat', toolAnswer([{ name: 'schedule_task', args: { cron: 'every morning', prompt: 'Summarise #incidents' } }]), chatAnswer('That schedule did not work.'));
  await p.harness.core.handleMessage({ where, messageId: '1700000000.000200', author: owner, text: 'every morning, summarise #incidents' });
  await p.harness.queue.drain();

  expect(p.platform.posts().filter(isCard)).toEqual([]);
  expect(JSON.stringify(llm.requests.at(-1)!.body.messages)).toContain('\\"every morning\\" is not a cron expression I can use');
  expect(await stores.schedules.inConversation(where, 10)).toEqual([]);
});
