import { alice, call, gatedCall, LEASE_MS, newRequest, result, startGate, startRun } from './builders';
import type { StoreWorld } from './store-world';

/** How long a released run waits before stalledRuns hands it back (RunStore.stalledRuns' default). */
const RELEASED_FOR_MS = 10_000;

/** A run's steps: one worker at a time holds a lease, a lapsed lease is taken over, stalled runs are found. */
export function leaseContract(world: () => StoreWorld): void {
  describe('run store: step leases', () => {
    it('gives a due step to one of twenty racing workers in four processes; the others get nothing while its lease lives', async () => {
      const { run } = await startRun(world().stores, world().now());
      const others = await world().others(4);
      const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => others[i % 4]!.runs.claimStep(run.id, LEASE_MS)));
      const won = claims.filter((c) => c !== null);
      expect(won).toHaveLength(1);
      expect(won[0]!.run).toMatchObject({ id: run.id, status: 'running', attempt: 0 });
      expect(await world().stores.runs.claimStep(run.id, LEASE_MS)).toBeNull();
    });

    it('lets a lapsed lease be taken over, counting an attempt, and refuses the old holder every change after', async () => {
      const { runs } = world().stores;
      const { run } = await startRun(world().stores, world().now());
      const dead = (await runs.claimStep(run.id, LEASE_MS))!;
      const [callRecord] = (await runs.transcript(run.id)).calls;
      await world().elapse(LEASE_MS + 1, { runs: [run.id] });

      const taker = (await runs.claimStep(run.id, LEASE_MS))!;

      expect(taker.run.attempt).toBe(1);
      expect(taker.token).not.toBe(dead.token);
      expect(await runs.renewLease(dead, LEASE_MS)).toBeNull();
      expect(await runs.startCall(dead, callRecord!.id)).toBe(false);
      expect(await runs.endCall(dead, callRecord!.id, { status: 'succeeded', output: 'x', error: null, result: 'x' })).toBe(false);
      expect(await runs.appendTurn(dead, { content: 'late', usage: null, calls: [] }, null)).toBeNull();
      expect(await runs.releaseStep(dead, 'running')).toBe(false);
      expect(await runs.endRun(run.id, { claim: dead, status: 'succeeded', errorCode: null, result: result(run.where, run.id) })).toBeNull();
      expect(await runs.renewLease(taker, LEASE_MS)).toBe('running');
    });

    it('counts no attempt for a step taken after a release, however long ago', async () => {
      const { runs } = world().stores;
      const { run } = await startRun(world().stores, world().now());
      const first = (await runs.claimStep(run.id, LEASE_MS))!;
      expect(await runs.releaseStep(first, 'running')).toBe(true);
      await world().elapse(LEASE_MS + 1, { runs: [run.id] });
      expect((await runs.claimStep(run.id, LEASE_MS))!.run.attempt).toBe(0);
    });

    it('gives no step of a waiting run until its request is decided, which makes the run running again', async () => {
      const { runs, requests } = world().stores;
      const request = await startGate(world().stores, world().now());
      expect(await runs.claimStep(request.runId, LEASE_MS)).toBeNull();
      await requests.decideRequest(request.id, 'approved', alice, { now: world().now(), planHash: 'hash-1', reason: null, deniedResult: 'denied', cardText: 'Approved' });
      expect((await runs.claimStep(request.runId, LEASE_MS))!.run.status).toBe('running');
    });

    it('releases a step to waiting, or keeps a run cancelled meanwhile cancelled', async () => {
      const { runs } = world().stores;
      const { run: waiting } = await startRun(world().stores, world().now());
      expect(await runs.releaseStep((await runs.claimStep(waiting.id, LEASE_MS))!, 'waiting')).toBe(true);
      expect((await runs.getRun(waiting.id))!.status).toBe('waiting');

      const { run: cancelled } = await startRun(world().stores, world().now());
      const claim = (await runs.claimStep(cancelled.id, LEASE_MS))!;
      await runs.cancelRun(cancelled.id, alice);
      expect(await runs.renewLease(claim, LEASE_MS)).toBe('cancelled');
      expect(await runs.releaseStep(claim, 'waiting')).toBe(true);
      expect((await runs.getRun(cancelled.id))!.status).toBe('cancelled');
    });

    it('wakes a run released to wait for a gate decided while its step held it, and no run that still waits for someone', async () => {
      const { runs, requests } = world().stores;
      const { run } = await startRun(world().stores, world().now());
      const claim = (await runs.claimStep(run.id, LEASE_MS))!;
      const gate = (await runs.appendTurn(claim, { content: 'next', usage: null, calls: [gatedCall('g1')] }, newRequest(world().now())))!;
      // Decided as its card went up: the step still holds the run, so it stays running...
      await requests.decideRequest(gate.id, 'approved', alice, { now: world().now(), planHash: 'hash-1', reason: null, deniedResult: 'denied', cardText: 'Approved' });
      expect(await runs.releaseStep(claim, 'waiting')).toBe(true);
      expect((await runs.getRun(run.id))!.status).toBe('waiting');
      // ...and is woken once released: its step is due.
      expect(await runs.wakeDecided(run.id)).toBe(true);
      expect((await runs.claimStep(run.id, LEASE_MS))!.run.status).toBe('running');

      const pending = await startGate(world().stores, world().now());
      expect(await runs.wakeDecided(pending.runId)).toBe(false);
      expect((await runs.getRun(pending.runId))!.status).toBe('waiting');
      expect(await runs.wakeDecided(run.id)).toBe(false);
    });

    it('starts and ends a call only while the lease holds and the call has not ended', async () => {
      const { runs } = world().stores;
      const { run } = await startRun(world().stores, world().now(), { calls: [call('c1'), call('c2', { gate: 'refused', status: 'refused', result: 'no such tool' })] });
      const claim = (await runs.claimStep(run.id, LEASE_MS))!;
      const [ready, refused] = (await runs.transcript(run.id)).calls;
      const end = { status: 'succeeded', output: 'out', error: null, result: 'Lift-off' } as const;

      expect(await runs.startCall(claim, refused!.id)).toBe(false);
      expect(await runs.startCall(claim, ready!.id)).toBe(true);
      expect(await runs.endCall(claim, ready!.id, end)).toBe(true);
      expect(await runs.endCall(claim, ready!.id, { ...end, result: 'again' })).toBe(false);

      const calls = (await runs.transcript(run.id)).calls;
      expect(calls.map((c) => [c.status, c.result])).toEqual([
        ['succeeded', 'Lift-off'],
        ['refused', 'no such tool'],
      ]);
      expect(calls[0]!.startedAt).not.toBeNull();
      expect(calls[0]!.endedAt).not.toBeNull();
    });

    it('finds runs released long ago and runs whose lease lapsed as stalled, and not live, waiting or ended ones', async () => {
      const { runs } = world().stores;
      const now = world().now();
      const released = (await startRun(world().stores, now)).run;
      const lapsed = (await startRun(world().stores, now)).run;
      const live = (await startRun(world().stores, now)).run;
      const recent = (await startRun(world().stores, now)).run;
      const waiting = (await startGate(world().stores, now)).runId;
      const ended = (await startRun(world().stores, now)).run;
      await runs.claimStep(lapsed.id, LEASE_MS);
      await runs.endRun(ended.id, { status: 'succeeded', errorCode: null, result: result(ended.where, ended.id) });
      const ids = [released.id, lapsed.id, live.id, recent.id, waiting, ended.id];
      await world().elapse(Math.max(LEASE_MS, RELEASED_FOR_MS) + 1, { runs: ids });
      // Held again after time passed: live. Released again, and not long enough ago for a lost job.
      await runs.claimStep(live.id, LEASE_MS);
      await runs.releaseStep((await runs.claimStep(recent.id, LEASE_MS))!, 'running');
      await world().elapse(RELEASED_FOR_MS / 2, { runs: [recent.id] });

      const stalled = (await runs.stalledRuns(1000)).filter((id) => ids.includes(id));

      expect(stalled).toEqual([released.id, lapsed.id]);
    });

    it('finds a run cancelled while nobody held it as stalled until the worker tells it', async () => {
      const { runs } = world().stores;
      const { run } = await startRun(world().stores, world().now());
      await runs.cancelRun(run.id, alice);
      await world().elapse(RELEASED_FOR_MS + 1, { runs: [run.id] });
      expect(await runs.stalledRuns(1000)).toContain(run.id);

      const claim = (await runs.claimStep(run.id, LEASE_MS))!;
      expect(claim.run.status).toBe('cancelled');
      await runs.endRun(run.id, { claim, status: 'cancelled', errorCode: null, result: result(run.where, run.id, 'Cancelled.') });
      expect(await runs.stalledRuns(1000)).not.toContain(run.id);
      expect(await runs.claimStep(run.id, LEASE_MS)).toBeNull();
    });
  });
}
