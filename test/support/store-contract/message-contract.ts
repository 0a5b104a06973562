import { randomUUID } from 'node:crypto';
import { alice, BOT, HISTORY, startRun, thread, userMessage } from './builders';
import type { StoreWorld } from './store-world';

/** The message store's contract: one row per platform id, threads read as the prompt needs them. */
export function messageContract(world: () => StoreWorld): void {
  describe('message store', () => {
    it('stores a message once when the same platform id is appended twice', async () => {
      const { messages } = world().stores;
      const where = thread();
      const first = await messages.appendTurn(userMessage(where, '100.1', 'hi'), HISTORY);
      const second = await messages.appendTurn(userMessage(where, '100.1', 'hi again'), HISTORY);
      expect([first.isNew, second.isNew]).toEqual([true, false]);
      expect(second.message.id).toBe(first.message.id);
      expect((await messages.readThread(where, HISTORY)).history.map((m) => m.text)).toEqual(['hi']);
    });

    it('stores a message redelivered to twenty racing handlers in four processes once, and tells each the same row', async () => {
      const where = thread();
      const others = await world().others(4);
      const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => others[i % 4]!.messages.appendTurn(userMessage(where, 'dup.1', `copy ${i}`), HISTORY)));
      expect(outcomes.filter((o) => o.isNew)).toHaveLength(1);
      expect(new Set(outcomes.map((o) => o.message.id)).size).toBe(1);
      expect((await world().stores.messages.readThread(where, HISTORY)).history).toHaveLength(1);
    });

    it('keeps the same platform id in two conversations as two messages', async () => {
      const { messages } = world().stores;
      const a = await messages.appendTurn(userMessage(thread(), 'same.1'), HISTORY);
      const b = await messages.appendTurn(userMessage(thread(), 'same.1'), HISTORY);
      expect([a.isNew, b.isNew]).toEqual([true, true]);
      expect(a.message.id).not.toBe(b.message.id);
    });

    it('returns the last n messages of a thread, oldest first, and nothing from other threads', async () => {
      const { messages } = world().stores;
      const where = thread();
      for (const i of [1, 2, 3, 4]) await messages.appendTurn(userMessage(where, `m${i}`, `#${i}`), HISTORY);
      await messages.appendTurn(userMessage({ ...where, thread: 'other' }, 'x', 'elsewhere'), HISTORY);
      expect((await messages.readThread(where, 3)).history.map((m) => m.text)).toEqual(['#2', '#3', '#4']);
      expect(await messages.threadExists(where)).toBe(true);
      expect(await messages.threadExists({ ...where, thread: 'never' })).toBe(false);
    });

    it("stores a turn and reads with it the thread as it was before it: earlier messages and the conversation's facts", async () => {
      const { messages, contexts } = world().stores;
      const where = thread();
      for (const i of [1, 2, 3]) await messages.appendTurn(userMessage(where, `t${i}`, `#${i}`), HISTORY);
      await contexts.storeContext(where, { type: 'project', key: 'project', value: 'Apollo', source: 'learned', learnedFrom: 'alice', sourceMessageId: null });

      const first = await messages.appendTurn(userMessage(where, 't4', '#4'), 3);

      // The last historyLimit - 1 messages before the new one; the turn adds itself.
      expect(first.before.history.map((m) => m.text)).toEqual(['#2', '#3']);
      expect(first.before.facts.map((f) => f.value)).toEqual(['Apollo']);
      expect((await messages.readThread(where, 3)).history.map((m) => m.text)).toEqual(['#2', '#3', '#4']);
    });

    it('fills in an author name known later, and a platform id once posted', async () => {
      const { messages } = world().stores;
      const where = thread();
      const { message } = await messages.appendTurn(userMessage(where, 'n.1', 'hello', { id: 'U9', name: 'U9' }), HISTORY);
      const reply = await messages.appendReply(message.id, { id: randomUUID(), where, platformMessageId: null, author: BOT, role: 'assistant', type: 'text', text: 'hi', metadata: {} });
      await messages.setAuthorName(message.id, 'dora');
      await messages.setPlatformMessageId(reply.id, 'posted.1');
      const { history } = await messages.readThread(where, HISTORY);
      expect(history.map((m) => [m.author.name, m.platformMessageId])).toEqual([
        ['dora', 'n.1'],
        ['switchboard', 'posted.1'],
      ]);
    });

    it('stores a reply under the id chosen before posting, and keeps the first row of a platform id stored twice', async () => {
      const { messages } = world().stores;
      const where = thread();
      const { message: turn } = await messages.appendTurn(userMessage(where, 'q.1', 'question'), HISTORY);
      const id = randomUUID();
      const reply = await messages.appendReply(turn.id, { id, where, platformMessageId: 'a.1', author: BOT, role: 'assistant', type: 'text', text: 'answer', metadata: { feedback: true } });
      const again = await messages.appendReply(turn.id, { id: randomUUID(), where, platformMessageId: 'a.1', author: BOT, role: 'assistant', type: 'text', text: 'answer twice', metadata: {} });
      expect(reply).toMatchObject({ id, text: 'answer', role: 'assistant', metadata: { feedback: true } });
      expect(again.id).toBe(id);
      expect((await messages.readThread(where, HISTORY)).history.map((m) => m.text)).toEqual(['question', 'answer']);
    });

    it("replaces a run message's text and metadata in place, only when the type matches", async () => {
      const { messages, runs } = world().stores;
      const { run } = await startRun(world().stores, world().now());
      const progress = { where: run.where, platformMessageId: null, author: BOT, role: 'assistant', type: 'agent_progress', text: 'Working', metadata: { runId: run.id } } as const;
      const { message } = await runs.storeRunMessage(run.id, progress);
      await messages.updateMessage(message.id, 'agent_result', 'wrong type', { runId: run.id, outcome: 'succeeded', errorCode: null });
      await messages.updateMessage(message.id, 'agent_progress', 'Step 2 of 2', { runId: run.id }, 'posted.2');
      expect(await runs.findRunMessage(run.id, 'agent_progress')).toMatchObject({ id: message.id, text: 'Step 2 of 2', platformMessageId: 'posted.2' });
    });

    it('refuses metadata that breaks its type\'s schema, naming the field', async () => {
      const { requests } = world().stores;
      const card = { where: thread(), platformMessageId: null, author: alice, role: 'assistant', type: 'agent_request', text: 'x' } as const;
      const metadata = { requestId: 'not-a-uuid', runId: '00000000-0000-4000-8000-000000000000' } as never;
      await expect(requests.recordCard(randomUUID(), { ...card, metadata })).rejects.toMatchObject({ code: 'invalid_metadata', context: { field: 'requestId' } });
    });
  });
}
