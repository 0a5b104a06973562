import { randomUUID } from 'node:crypto';
import type { ThreadRef } from '../../../src/core/model/conversation';
import { alice, BOT, bob, conversation, HISTORY, nextInstant, thread, userMessage } from './builders';
import type { StoreWorld } from './store-world';

/** Context facts, confirmations, assistant threads and feedback: each one row per key, written once where it says so. */
export function smallStoresContract(world: () => StoreWorld): void {
  describe('context store', () => {
    const fact = { type: 'technology', key: 'uses_kubernetes', source: 'learned', learnedFrom: 'alice', sourceMessageId: null } as const;

    it('updates a fact in place: one fact, new value, updatedAt moved, createdAt kept', async () => {
      const { contexts } = world().stores;
      const where = conversation();
      const first = await contexts.storeContext(where, { ...fact, value: 'yes' });
      await nextInstant();
      const second = await contexts.storeContext(where, { ...fact, value: 'yes, EKS 1.29 via ArgoCD' });
      expect(second.createdAt).toEqual(first.createdAt);
      expect(second.updatedAt.getTime()).toBeGreaterThan(first.updatedAt.getTime());
      expect((await contexts.retrieveContext(where)).map((f) => f.value)).toEqual(['yes, EKS 1.29 via ArgoCD']);
    });

    it('retrieves by type, forgets one key and clears the rest', async () => {
      const { contexts } = world().stores;
      const where = conversation();
      const base = { source: 'manual', learnedFrom: 'alice', sourceMessageId: null } as const;
      await contexts.storeContext(where, { ...base, type: 'domain', key: 'industry', value: 'fintech' });
      await contexts.storeContext(where, { ...base, type: 'preference', key: 'tone', value: 'brief' });
      await contexts.storeContext(where, { ...base, type: 'preference', key: 'language', value: 'en' });
      expect((await contexts.retrieveContextByType(where, 'preference')).map((f) => f.key).sort()).toEqual(['language', 'tone']);
      expect(await contexts.forgetContext(where, 'tone')).toBe(true);
      expect(await contexts.forgetContext(where, 'tone')).toBe(false);
      expect(await contexts.clearContext(where)).toBe(2);
      expect(await contexts.retrieveContext(where)).toEqual([]);
    });

    it('keeps conversations apart even when channel ids collide across workspaces', async () => {
      const { contexts } = world().stores;
      const a = { ...conversation(), channel: 'CSAME' };
      const b = { ...a, workspace: `${a.workspace}-other` };
      await contexts.storeContext(a, { ...fact, value: 'apollo' });
      expect(await contexts.retrieveContext(b)).toEqual([]);
      expect(await contexts.clearContext(b)).toBe(0);
      expect(await contexts.forgetContext(b, fact.key)).toBe(false);
      expect(await contexts.retrieveContext(a)).toHaveLength(1);
    });

    it('evicts the least recently updated facts beyond the cap, newest first kept', async () => {
      const { contexts } = world().stores;
      const where = conversation();
      for (const key of ['a', 'b', 'c']) {
        await contexts.storeContext(where, { ...fact, key, value: key });
        await nextInstant();
      }
      expect(await contexts.evictOldest(where, 2)).toBe(1);
      expect((await contexts.retrieveContext(where)).map((f) => f.key)).toEqual(['c', 'b']);
    });
  });

  describe('confirmation store', () => {
    const holder = () => ({ purpose: 'context_clear' as const, conversation: conversation(), userId: 'U1' });

    it('redeems a token once when twenty clicks race in four processes', async () => {
      const who = holder();
      const now = world().now();
      const token = await world().stores.confirmations.issue(who, new Date(now.getTime() + 60_000));
      const others = await world().others(4);
      const redeemed = await Promise.all(Array.from({ length: 20 }, (_, i) => others[i % 4]!.confirmations.redeem(token, who, now)));
      expect(redeemed.filter(Boolean)).toHaveLength(1);
    });

    it('refuses a token from another user, workspace or platform, at its expiry, or that is not a token, and still redeems it once for its holder', async () => {
      const { confirmations } = world().stores;
      const who = holder();
      const now = world().now();
      const token = await confirmations.issue(who, new Date(now.getTime() + 60_000));
      const refused = [
        await confirmations.redeem(token, { ...who, userId: 'U2' }, now),
        await confirmations.redeem(token, { ...who, conversation: { ...who.conversation, workspace: 'T2' } }, now),
        await confirmations.redeem(token, { ...who, conversation: { ...who.conversation, platform: 'discord' } }, now),
        await confirmations.redeem(token, who, new Date(now.getTime() + 60_000)),
        await confirmations.redeem(String(now.getTime()), who, now),
      ];
      expect(refused).toEqual([false, false, false, false, false]);
      expect(await confirmations.redeem(token, who, now)).toBe(true);
      expect(await confirmations.redeem(token, who, now)).toBe(false);
    });
  });

  describe('assistant thread store', () => {
    it('greets and titles a thread once each, however many redeliveries race in four processes', async () => {
      const where = thread();
      const others = await world().others(4);
      const greeted = await Promise.all(Array.from({ length: 8 }, (_, i) => others[i % 4]!.assistantThreads.claimOnce(where, 'greeting')));
      const titled = await Promise.all(Array.from({ length: 8 }, (_, i) => others[i % 4]!.assistantThreads.claimOnce(where, 'title')));
      expect([greeted.filter(Boolean).length, titled.filter(Boolean).length]).toEqual([1, 1]);
    });

    it('shows the channel last viewed beside a thread, ignoring a report older than the one stored', async () => {
      const { assistantThreads, messages } = world().stores;
      const where = thread();
      const viewing = async () => (await messages.readThread(where, HISTORY)).viewing;
      const at = world().now().getTime();
      await assistantThreads.noteViewedChannel(where, { workspace: 'T1', channel: 'C-new' }, new Date(at));
      await assistantThreads.noteViewedChannel(where, { workspace: 'T1', channel: 'C-old' }, new Date(at - 1));
      expect(await viewing()).toEqual({ workspace: 'T1', channel: 'C-new' });
      await assistantThreads.noteViewedChannel(where, null, new Date(at + 1));
      expect(await viewing()).toBeNull();
    });
  });

  describe('feedback store', () => {
    /** A user's turn and the bot's reply to it; `asked` marks the reply as an answer that asks for feedback. */
    async function answerIn(where: ThreadRef, asked: boolean) {
      const { messages } = world().stores;
      const { message: turn } = await messages.appendTurn(userMessage(where, `q-${randomUUID()}`, 'q'), HISTORY);
      return messages.appendReply(turn.id, { id: randomUUID(), where, platformMessageId: `a-${randomUUID()}`, author: BOT, role: 'assistant', type: 'text', text: 'a', metadata: asked ? { feedback: true } : {} });
    }

    it("keeps one rating per person and answer however many of their clicks race in four processes, the last one's or another's", async () => {
      const where = thread();
      const answer = await answerIn(where, true);
      const others = await world().others(4);
      const ratings = ['positive', 'negative'] as const;
      const stored = await Promise.all(Array.from({ length: 20 }, (_, i) => others[i % 4]!.feedback.rate(where, answer.id, alice, ratings[i % 2]!)));
      expect(stored.every(Boolean)).toBe(true);
      const tally = await world().stores.feedback.tally(where, 50);
      expect(tally.answers).toBe(1);
      expect(tally.positive + tally.negative).toBe(1);
    });

    it("rates only an answer that asked for feedback, in its own conversation, and tallies a conversation's answers alone", async () => {
      const { feedback } = world().stores;
      const where = thread();
      const answer = await answerIn(where, true);
      const note = await answerIn(where, false);
      const refused = [
        await feedback.rate({ ...where, workspace: 'T2' }, answer.id, alice, 'negative'),
        await feedback.rate({ ...where, channel: 'C_ELSEWHERE' }, answer.id, alice, 'negative'),
        await feedback.rate({ ...where, platform: 'discord' }, answer.id, alice, 'negative'),
        await feedback.rate(where, note.id, alice, 'negative'),
        await feedback.rate(where, 'not-a-uuid', alice, 'negative'),
      ];
      expect(refused).toEqual([false, false, false, false, false]);
      expect(await feedback.rate(where, answer.id, bob, 'positive')).toBe(true);
      expect(await feedback.rate(where, answer.id, bob, 'negative')).toBe(true);
      expect(await feedback.tally(where, 50)).toEqual({ answers: 1, positive: 0, negative: 1 });
      expect(await feedback.tally({ ...where, workspace: 'T2' }, 50)).toEqual({ answers: 0, positive: 0, negative: 0 });
    });

    it('tallies only the last answers asked for', async () => {
      const { feedback } = world().stores;
      const where = thread();
      const older = await answerIn(where, true);
      await nextInstant();
      const newer = await answerIn(where, true);
      await feedback.rate(where, older.id, alice, 'negative');
      await feedback.rate(where, newer.id, alice, 'positive');
      expect(await feedback.tally(where, 1)).toEqual({ answers: 1, positive: 1, negative: 0 });
    });
  });
}
