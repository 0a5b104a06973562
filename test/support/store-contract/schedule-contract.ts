import type { NewSchedule } from '../../../src/core/model/schedule';
import type { Stores } from '../memory-stores';
import { alice, conversation } from './builders';
import type { StoreWorld } from './store-world';

const MINUTE = 60_000;

/** Schedules: found by short id in their workspace only, and each firing claimed by exactly one of any number of sweeps. */
export function scheduleContract(world: () => StoreWorld): void {
  describe('schedule store', () => {
    const at = (minutesFromNow: number) => new Date(Math.floor(world().now().getTime() / MINUTE) * MINUTE + minutesFromNow * MINUTE);
    const newSchedule = (overrides: Partial<NewSchedule> = {}): NewSchedule => ({
      conversation: conversation(),
      cron: '* * * * *',
      timeZone: 'UTC',
      prompt: 'summarise #incidents',
      owner: alice,
      nextFireAt: at(-1),
      ...overrides,
    });
    /** The ids among the due schedules of every test so far that are `ids`. */
    const dueOf = async (stores: Stores, ids: readonly string[], now = world().now()) =>
      (await stores.schedules.due(now, ['slack', 'discord', 'console'], 10_000)).map((s) => s.id).filter((id) => ids.includes(id));

    it('stores a schedule under a short id found in its own workspace only, and lists a channel oldest first', async () => {
      const { schedules } = world().stores;
      const where = conversation();
      const first = await schedules.create(newSchedule({ conversation: where }));
      const second = await schedules.create(newSchedule({ conversation: where, cron: '0 9 * * 1-5', prompt: 'check the dashboard' }));
      expect(first).toMatchObject({ conversation: where, cron: '* * * * *', timeZone: 'UTC', owner: alice, state: 'active', pausedReason: null, consecutiveFailures: 0 });
      expect(first.shortId).toMatch(/^[a-z2-9]{6}$/);
      expect(second.shortId).not.toBe(first.shortId);
      expect(await schedules.findByShortId({ platform: 'slack', workspace: where.workspace }, second.shortId)).toMatchObject({ id: second.id, prompt: 'check the dashboard' });
      expect(await schedules.findByShortId({ platform: 'slack', workspace: `${where.workspace}-other` }, second.shortId)).toBeNull();
      expect(await schedules.findByShortId({ platform: 'discord', workspace: where.workspace }, second.shortId)).toBeNull();
      expect((await schedules.inConversation(where, 10)).map((s) => s.id)).toEqual([first.id, second.id]);
      expect(await schedules.inConversation({ ...where, channel: `${where.channel}-other` }, 10)).toEqual([]);
    });

    it('answers only active schedules due by now, on the platforms asked about, earliest first', async () => {
      const { schedules } = world().stores;
      const later = await schedules.create(newSchedule({ nextFireAt: at(-1) }));
      const earlier = await schedules.create(newSchedule({ nextFireAt: at(-2) }));
      const future = await schedules.create(newSchedule({ nextFireAt: at(5) }));
      const paused = await schedules.create(newSchedule({ nextFireAt: at(-3) }));
      await schedules.pause(paused.id, 'paused by alice');
      const ids = [later.id, earlier.id, future.id, paused.id];
      expect(await dueOf(world().stores, ids)).toEqual([earlier.id, later.id]);
      expect((await schedules.due(world().now(), ['discord'], 10_000)).map((s) => s.id).filter((id) => ids.includes(id))).toEqual([]);
    });

    it('lets exactly one of twenty sweeps in four processes fire a due schedule, and moves it on', async () => {
      const due = at(-1);
      const schedule = await world().stores.schedules.create(newSchedule({ nextFireAt: due }));
      const others = await world().others(4);
      const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => others[i % 4]!.schedules.advance(schedule.id, due, at(0), due)));
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect((await world().stores.schedules.findByShortId({ platform: 'slack', workspace: 'T1' }, schedule.shortId))?.nextFireAt).toEqual(at(0));
      expect(await dueOf(world().stores, [schedule.id], new Date(at(0).getTime() - 1))).toEqual([]);
    });

    it('records a firing once: the same time fired again moves the schedule on but is not a second firing', async () => {
      const { schedules } = world().stores;
      const due = at(-1);
      const schedule = await schedules.create(newSchedule({ nextFireAt: due }));
      expect(await schedules.advance(schedule.id, due, at(0), due)).toBe(true);
      await schedules.resume(schedule.id, due);
      expect(await schedules.advance(schedule.id, due, at(1), due)).toBe(false);
      expect(await dueOf(world().stores, [schedule.id], new Date(at(1).getTime() - 1))).toEqual([]);
      // Skipping, with no firing, moves it on for its one caller.
      expect(await schedules.advance(schedule.id, at(1), at(2), null)).toBe(true);
      expect(await schedules.advance(schedule.id, at(1), at(3), null)).toBe(false);
    });

    it('never fires a paused schedule; resumed, it is active again with its failures forgotten', async () => {
      const { schedules } = world().stores;
      const due = at(-1);
      const schedule = await schedules.create(newSchedule({ nextFireAt: due }));
      await schedules.recordOutcome(schedule.id, false);
      const paused = await schedules.pause(schedule.id, '3 failures in a row');
      expect(paused).toMatchObject({ state: 'paused', pausedReason: '3 failures in a row', nextFireAt: null });
      expect(await schedules.advance(schedule.id, due, at(0), due)).toBe(false);
      expect(await dueOf(world().stores, [schedule.id])).toEqual([]);
      const resumed = await schedules.resume(schedule.id, due);
      expect(resumed).toMatchObject({ state: 'active', pausedReason: null, consecutiveFailures: 0, nextFireAt: due });
      expect(await dueOf(world().stores, [schedule.id])).toEqual([schedule.id]);
    });

    it('forgets a deleted schedule: not found, not due, not fired, and deleting again says so', async () => {
      const { schedules } = world().stores;
      const due = at(-1);
      const schedule = await schedules.create(newSchedule({ nextFireAt: due }));
      expect(await schedules.advance(schedule.id, due, at(0), due)).toBe(true);
      expect(await schedules.remove(schedule.id)).toBe(true);
      expect(await schedules.remove(schedule.id)).toBe(false);
      expect(await schedules.findByShortId({ platform: 'slack', workspace: 'T1' }, schedule.shortId)).toBeNull();
      expect(await dueOf(world().stores, [schedule.id], at(10))).toEqual([]);
      expect(await schedules.advance(schedule.id, at(0), at(1), at(0))).toBe(false);
      expect(await schedules.pause(schedule.id, 'gone')).toBeNull();
      expect(await schedules.recordOutcome(schedule.id, false)).toBeNull();
    });

    it('counts failures in a row, and a success starts the count again', async () => {
      const { schedules } = world().stores;
      const schedule = await schedules.create(newSchedule());
      expect(await schedules.recordOutcome(schedule.id, false)).toBe(1);
      expect(await schedules.recordOutcome(schedule.id, false)).toBe(2);
      expect(await schedules.recordOutcome(schedule.id, true)).toBe(0);
      expect(await schedules.recordOutcome(schedule.id, false)).toBe(1);
    });
  });
}
