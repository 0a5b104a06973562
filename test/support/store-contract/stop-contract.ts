import { randomUUID } from 'node:crypto';
import { bob, BOT, HISTORY, newRequest, result, startRun, thread, userMessage } from './builders';
import type { StoreWorld } from './store-world';

/**
 * A person's Stop in a thread (Slack's agent sessions): the turns still being answered there
 * are stopped once, their process learns it at its next renewal, and the thread's live runs
 * are found to be cancelled.
 */
export function stopContract(world: () => StoreWorld): void {
  describe('stopping a thread', () => {
    const turn = async (where: ReturnType<typeof thread>, id: string) => (await world().stores.messages.appendTurn(userMessage(where, id), HISTORY)).message;

    it("lists a thread's turns not answered yet, oldest first, and none answered, stopped or of another thread", async () => {
      const { messages } = world().stores;
      const where = thread();
      const first = await turn(where, 'open.1');
      const answered = await turn(where, 'answered.1');
      await messages.appendReply(answered.id, { id: randomUUID(), where, platformMessageId: null, author: BOT, role: 'assistant', type: 'text', text: 'ok', metadata: {} });
      const stopped = await turn(where, 'stopped.1');
      await messages.stopTurn(stopped.id);
      const second = await turn(where, 'open.2');
      await turn({ ...where, thread: 'other' }, 'elsewhere.1');

      expect((await messages.turnsInProgress(where)).map((m) => m.id)).toEqual([first.id, second.id]);
    });

    it('stops a turn not answered yet for exactly one of many racing processes, and keeps a stopped turn from being answered', async () => {
      const where = thread();
      const open = await turn(where, 'race.1');
      const others = await world().others(4);

      const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => others[i % 4]!.messages.stopTurn(open.id)));
      await world().stores.messages.answerTurn(open.id);

      expect(outcomes.filter(Boolean)).toHaveLength(1);
      expect(await world().stores.messages.turnsInProgress(where)).toEqual([]);
      expect(await world().stores.messages.renewTurnClaims([open.id])).toEqual([open.id]);
    });

    it('refuses to stop a turn already answered', async () => {
      const { messages } = world().stores;
      const answered = await turn(thread(), 'done.1');
      await messages.answerTurn(answered.id);
      expect(await messages.stopTurn(answered.id)).toBe(false);
    });

    it('tells the renewing process which of its turns another process stopped, and renews the rest', async () => {
      const { messages } = world().stores;
      const where = thread();
      const [kept, stopped, answered] = [await turn(where, 'kept.1'), await turn(where, 'stop.1'), await turn(where, 'answered.2')];
      await messages.answerTurn(answered.id);
      const [other] = await world().others(1);
      await other!.messages.stopTurn(stopped.id);

      expect(await messages.renewTurnClaims([kept.id, stopped.id, answered.id])).toEqual([stopped.id]);
      expect(await messages.renewTurnClaims([])).toEqual([]);
    });

    it("finds a thread's running and waiting runs, oldest first, and none ended, cancelled or of another thread", async () => {
      const { runs } = world().stores;
      const now = world().now();
      const where = thread();
      const { run: running } = await startRun(world().stores, now, { where });
      const { run: waiting } = await startRun(world().stores, now, { where, request: newRequest(now) });
      const { run: cancelled } = await startRun(world().stores, now, { where });
      await runs.cancelRun(cancelled.id, bob);
      const { run: ended } = await startRun(world().stores, now, { where });
      await runs.endRun(ended.id, { status: 'succeeded', errorCode: null, result: result(where, ended.id) });
      await startRun(world().stores, now, { where: { ...where, thread: 'other' } });

      expect((await runs.liveRunsIn(where)).map((r) => [r.id, r.status])).toEqual([
        [running.id, 'running'],
        [waiting.id, 'waiting'],
      ]);
    });
  });
}
