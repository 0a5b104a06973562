import { randomUUID } from 'node:crypto';
import { BOT, HISTORY, thread, userMessage } from './builders';
import type { StoreWorld, StoreWorldSpec } from './store-world';

const LEASE = 15_000;
const WINDOW = 600_000;
const ALL = ['slack', 'discord', 'console'] as const;

/**
 * Turns a dead process left unanswered: claimed by one other process while young, skipped
 * when old. Its own world, because claimStaleTurns sweeps every turn of the database.
 */
export function turnRecoveryContract(spec: StoreWorldSpec): void {
  describe('turn recovery (claimStaleTurns)', () => {
    let world: StoreWorld;
    beforeAll(async () => {
      world = await spec.open();
    });
    afterAll(() => world?.close());
    // Each test starts from a database with no turn left to recover.
    beforeEach(async () => {
      await world.elapse(WINDOW + 1, {});
      await world.stores.messages.claimStaleTurns(LEASE, WINDOW, 1000, ALL);
    });

    const turn = async (id: string, where = thread()) => (await world.stores.messages.appendTurn(userMessage(where, id), HISTORY)).message;

    it('claims a young turn whose claim lapsed once, however many processes race for it, and leaves a live claim alone', async () => {
      const lapsed = await turn('lapsed.1');
      await world.elapse(LEASE + 1, { messages: [lapsed.id] });
      await turn('live.1');

      const others = await world.others(4);
      const results = await Promise.all(others.map((o) => o.messages.claimStaleTurns(LEASE, WINDOW, 10, ALL)));

      expect(results.flatMap((r) => r.claimed.map((m) => m.id))).toEqual([lapsed.id]);
      expect(results.map((r) => r.skipped)).toEqual([0, 0, 0, 0]);
    });

    it('skips an unanswered turn older than the window instead of answering it', async () => {
      const old = await turn('old.1');
      await world.elapse(WINDOW + 1, { messages: [old.id] });
      expect(await world.stores.messages.claimStaleTurns(LEASE, WINDOW, 10, ALL)).toEqual({ claimed: [], skipped: 1 });
      expect(await world.stores.messages.claimStaleTurns(LEASE, WINDOW, 10, ALL)).toEqual({ claimed: [], skipped: 0 });
    });

    it('claims no turn that was answered, renewed, or is on a platform this process cannot answer on', async () => {
      const { messages } = world.stores;
      const answered = await turn('answered.1');
      await messages.answerTurn(answered.id);
      const replied = await turn('replied.1');
      await messages.appendReply(replied.id, { id: randomUUID(), where: replied.where, platformMessageId: null, author: BOT, role: 'assistant', type: 'text', text: 'ok', metadata: {} });
      const renewed = await turn('renewed.1');
      const discord = await turn('discord.1', { ...thread(), platform: 'discord' });
      const ids = [answered.id, replied.id, renewed.id, discord.id];
      await world.elapse(LEASE + 1, { messages: ids });
      await messages.renewTurnClaims([renewed.id]);

      expect(await messages.claimStaleTurns(LEASE, WINDOW, 10, ['slack'])).toEqual({ claimed: [], skipped: 0 });
      expect((await messages.claimStaleTurns(LEASE, WINDOW, 10, ['discord'])).claimed.map((m) => m.id)).toEqual([discord.id]);
    });

    it('claims no turn a person stopped, however long ago its claim lapsed, nor skips it', async () => {
      const stopped = await turn('stopped.1');
      await world.stores.messages.stopTurn(stopped.id);
      await world.elapse(LEASE + 1, { messages: [stopped.id] });
      expect(await world.stores.messages.claimStaleTurns(LEASE, WINDOW, 10, ALL)).toEqual({ claimed: [], skipped: 0 });
    });

    it('claims at most `limit` turns, oldest first, and the rest on the next call', async () => {
      const where = thread();
      const turns = [await turn('a.1', where), await turn('b.1', where), await turn('c.1', where)];
      await world.elapse(LEASE + 1, { messages: turns.map((t) => t.id) });
      const first = await world.stores.messages.claimStaleTurns(LEASE, WINDOW, 2, ALL);
      const second = await world.stores.messages.claimStaleTurns(LEASE, WINDOW, 2, ALL);
      expect([first.claimed.map((m) => m.text), second.claimed.map((m) => m.text)]).toEqual([['a.1', 'b.1'], ['c.1']]);
    });
  });
}
