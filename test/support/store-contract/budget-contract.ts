import type { UsageKey } from '../../../src/core/model/token-budget';
import { eventually } from '../eventually';
import { alice, conversation, startGate } from './builders';
import type { StoreWorld } from './store-world';

const MINUTE = 60_000;
let subjects = 0;
/** A person's counter no other test writes to. */
const userKey = (): UsageKey => ({ platform: 'slack', workspace: 'T1', scope: 'user', subject: `U_BUDGET${++subjects}` });
const channelKey = (): UsageKey => ({ platform: 'slack', workspace: 'T1', scope: 'channel', subject: `C_BUDGET${++subjects}` });
const DAY = '2026-12-08';

/** Token counters, channel limits and reminders: holds refused at the limit, all or none, once per race. */
export function budgetContract(world: () => StoreWorld): void {
  describe('budget store', () => {
    it('holds tokens until a counter reaches its limit, all counters or none, and settles holds into use', async () => {
      const { budgets } = world().stores;
      const [user, channel] = [userKey(), channelKey()];
      expect(await budgets.reserve([{ key: user, limit: 1000 }], DAY, 700)).toEqual({ ok: true });
      expect(await budgets.settle([user], DAY, 700, 600)).toEqual([{ key: user, used: 600, reserved: 0 }]);
      expect(await budgets.reserve([{ key: channel, limit: 500 }], DAY, 700)).toEqual({ ok: true });
      expect(await budgets.settle([channel], DAY, 700, 500)).toEqual([{ key: channel, used: 500, reserved: 0 }]);

      // The person has room, the channel none: nothing is held on either.
      expect(await budgets.reserve([{ key: user, limit: 1000 }, { key: channel, limit: 500 }], DAY, 100)).toEqual({ ok: false, refusedBy: { key: channel, limit: 500, used: 500 } });
      expect(await budgets.usage([user, channel, userKey()], DAY)).toEqual([
        { key: user, used: 600, reserved: 0 },
        { key: channel, used: 500, reserved: 0 },
        expect.objectContaining({ used: 0, reserved: 0 }),
      ]);
      expect(await budgets.usage([user], '2026-12-09')).toEqual([{ key: user, used: 0, reserved: 0 }]);
    });

    it('lets through only the holds that fit of twelve racing in three processes, and warns once', async () => {
      const others = await world().others(3);
      const key = userKey();
      const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => others[i % 3]!.budgets.reserve([{ key, limit: 1000 }], DAY, 300)));
      expect(outcomes.filter((o) => o.ok)).toHaveLength(4);
      expect(await world().stores.budgets.usage([key], DAY)).toEqual([{ key, used: 0, reserved: 1200 }]);
      const warned = await Promise.all(others.map((s) => s.budgets.claimWarning(key, DAY)));
      expect(warned.filter(Boolean)).toHaveLength(1);
    });

    it('stores a channel limit per scope, replaces and removes it, and tells every process', async () => {
      const [mine, other] = [world().stores, (await world().others(1))[0]!];
      const place = conversation();
      const heard: string[] = [];
      other.budgets.onOverridesChanged?.(() => heard.push('changed'));
      await other.budgets.overrides();
      await mine.budgets.setOverride(place, 'channel', 5000, alice);
      await mine.budgets.setOverride(place, 'channel', 8000, alice);
      await mine.budgets.setOverride(place, 'user', 100, alice);
      const here = (await other.budgets.overrides()).filter((o) => o.conversation.channel === place.channel);
      expect(here.map((o) => [o.scope, o.tokens, o.setBy])).toEqual(expect.arrayContaining([['channel', 8000, alice], ['user', 100, alice]]));
      expect(here).toHaveLength(2);
      await mine.budgets.setOverride(place, 'user', null, alice);
      expect((await other.budgets.overrides()).filter((o) => o.conversation.channel === place.channel).map((o) => o.scope)).toEqual(['channel']);
      if (other.budgets.onOverridesChanged) await eventually(() => expect(heard.length).toBeGreaterThanOrEqual(1));
    });
  });

  describe('reminder store', () => {
    it('answers the reminder due for each pending request, each claimed once of many racing, and none once decided', async () => {
      const { stores } = world();
      const now = world().now();
      const at = (minutes: number) => new Date(now.getTime() + minutes * MINUTE);
      const request = await startGate(stores, now, { expiresAt: at(15) });
      const decided = await startGate(stores, now, { expiresAt: at(15) });
      const times = { firstAfterMs: 10 * MINUTE, finalBeforeMs: 2 * MINUTE };
      const dueOf = async (when: Date) => (await stores.reminders.due(when, times, 1000)).filter((d) => [request.id, decided.id].includes(d.requestId));

      expect(await dueOf(at(9))).toEqual([]);
      expect(await dueOf(at(11))).toEqual([
        { requestId: request.id, stage: 'first' },
        { requestId: decided.id, stage: 'first' },
      ]);
      const others = await world().others(3);
      const claims = await Promise.all(Array.from({ length: 9 }, (_, i) => others[i % 3]!.reminders.claim({ requestId: request.id, stage: 'first' })));
      expect(claims.filter(Boolean)).toHaveLength(1);
      await stores.requests.decideRequest(decided.id, 'denied', alice, { now, planHash: 'hash-1', reason: null, deniedResult: 'Denied.', cardText: 'denied' });
      expect(await stores.reminders.claim({ requestId: decided.id, stage: 'first' })).toBe(false);

      expect(await dueOf(at(11))).toEqual([]);
      expect(await dueOf(at(14))).toEqual([{ requestId: request.id, stage: 'final' }]);
      expect(await dueOf(at(16))).toEqual([]);
    });
  });
}
