import { alice, bob, call, conversation, gatedCall, HISTORY, LEASE_MS, newRequest, result, runInput, startRun, thread, userMessage } from './builders';
import type { StoreWorld } from './store-world';

/** Runs: created once per message, turns appended under the lease, ended or cancelled once with one result. */
export function runContract(world: () => StoreWorld): void {
  /** A run held by a worker with something of every kind left: c1 running, c2 ready, c3 pending on `gate`. */
  async function runMidStep() {
    const { runs } = world().stores;
    const { run } = await startRun(world().stores, world().now(), { calls: [call('c1'), call('c2')] });
    const claim = (await runs.claimStep(run.id, LEASE_MS))!;
    const [first] = (await runs.transcript(run.id)).calls;
    await runs.startCall(claim, first!.id);
    const gate = newRequest(world().now());
    await runs.appendTurn(claim, { content: null, usage: null, calls: [gatedCall('c3')] }, gate);
    return { run, claim, gate };
  }

  describe('run store: runs', () => {
    it('starts one run per message however many processes answer it, and marks that turn answered', async () => {
      const { messages } = world().stores;
      const where = thread();
      const { message } = await messages.appendTurn(userMessage(where, 'run.1', 'restart staging'), HISTORY);
      const others = await world().others(4);
      const created = await Promise.all(others.map((o) => o.runs.createRun(runInput(world().now(), { where, triggerMessageId: message.id }))));
      expect(created.filter((c) => c !== null)).toHaveLength(1);
      await world().elapse(LEASE_MS + 1, { messages: [message.id] });
      const recovered = await messages.claimStaleTurns(15_000, 600_000, 1000, ['slack']);
      expect(recovered.claimed.map((m) => m.id)).not.toContain(message.id);
    });

    it('stores the first turn with its calls, its request and its token usage, and reads them back as the transcript', async () => {
      const { runs } = world().stores;
      const request = newRequest(world().now());
      const { run, request: stored } = await startRun(world().stores, world().now(), {
        calls: [call('c1'), gatedCall('c2'), call('c3', { gate: 'refused', status: 'refused', result: 'unknown tool' })],
        request,
      });
      expect(run).toMatchObject({ status: 'waiting', turns: 1, toolCalls: 3, attempt: 0, usage: { totalTokens: 15 }, traceId: 'trace-1', endedAt: null });
      expect(stored).toMatchObject({ id: request.id, runId: run.id, status: 'pending', requestedBy: alice, where: run.where, traceId: 'trace-1' });
      expect(stored!.calls.map((c) => c.callId)).toEqual(['c2']);

      const transcript = await runs.transcript(run.id);
      expect(transcript.turns).toEqual([{ seq: 1, content: null }]);
      expect(transcript.calls.map((c) => [c.callId, c.status, c.requestId, c.turnSeq, c.position])).toEqual([
        ['c1', 'ready', null, 1, 0],
        ['c2', 'pending', request.id, 1, 1],
        ['c3', 'refused', null, 1, 2],
      ]);
      expect(transcript.calls[2]!.endedAt).not.toBeNull();
      expect(transcript.planHashes).toEqual(new Map([[request.id, 'hash-1']]));
      expect(await runs.getRun(run.id)).toEqual(run);
    });

    it('appends a model turn under the lease: its seq, its calls, its request, and the run\'s counts and token usage', async () => {
      const { runs } = world().stores;
      const { run } = await startRun(world().stores, world().now());
      const claim = (await runs.claimStep(run.id, LEASE_MS))!;
      const request = newRequest(world().now(), { planHash: 'hash-2' });
      const usage = { promptTokens: 100, completionTokens: 20, totalTokens: 120 };

      const stored = await runs.appendTurn(claim, { content: 'Next I restart it.', usage, calls: [gatedCall('c2'), gatedCall('c3')] }, request);

      expect(stored!.calls.map((c) => [c.callId, c.turnSeq])).toEqual([['c2', 2], ['c3', 2]]);
      expect(await runs.getRun(run.id)).toMatchObject({ turns: 2, toolCalls: 3, usage: { promptTokens: 110, completionTokens: 25, totalTokens: 135 } });
      expect((await runs.transcript(run.id)).turns).toEqual([{ seq: 1, content: null }, { seq: 2, content: 'Next I restart it.' }]);
    });

    it('ends a run once, with its one result message, cutting short what was left of it', async () => {
      const { runs, requests } = world().stores;
      const { run, claim, gate } = await runMidStep();
      const end = { claim, status: 'failed', errorCode: 'model_failed', result: result(run.where, run.id, 'It failed.') } as const;

      const [first, second] = await Promise.all([runs.endRun(run.id, end), runs.endRun(run.id, end)]);

      const ended = first ?? second;
      expect([first, second].filter((e) => e !== null)).toHaveLength(1);
      expect(ended!.run).toMatchObject({ status: 'failed', errorCode: 'model_failed' });
      expect(ended!.run.endedAt).not.toBeNull();
      expect(ended!.result).toMatchObject({ type: 'agent_result', text: 'It failed.', where: run.where, platformMessageId: null });
      expect(await runs.findRunMessage(run.id, 'agent_result')).toMatchObject({ id: ended!.result.id });
      expect((await runs.transcript(run.id)).calls.map((c) => [c.callId, c.status])).toEqual([['c1', 'interrupted'], ['c2', 'skipped'], ['c3', 'skipped']]);
      expect((await requests.getRequest(gate.id))!.status).toBe('cancelled');
      expect(await runs.claimStep(run.id, LEASE_MS)).toBeNull();
    });

    it("keeps a run cancelled when the Cancel lands before the worker's end, which reports it cancelled, with one result", async () => {
      const { runs } = world().stores;
      const { run } = await startRun(world().stores, world().now());
      const claim = (await runs.claimStep(run.id, LEASE_MS))!;

      const cancelled = await runs.cancelRun(run.id, bob);
      const ended = await runs.endRun(run.id, { claim, status: 'succeeded', errorCode: null, result: result(run.where, run.id, 'All done.') });

      expect(cancelled).toMatchObject({ status: 'cancelled', cancelledBy: bob });
      expect(ended!.run).toMatchObject({ status: 'cancelled', cancelledBy: bob });
      expect(await runs.endRun(run.id, { status: 'cancelled', errorCode: null, result: result(run.where, run.id, 'Cancelled.') })).toBeNull();
      expect((await runs.findRunMessage(run.id, 'agent_result'))!.id).toBe(ended!.result.id);
      expect(await runs.cancelRun(run.id, alice)).toBeNull();
    });

    it('cancels a live run with its pending requests and its unstarted calls, and leaves a running call to its worker', async () => {
      const { runs, requests } = world().stores;
      const { run, gate } = await runMidStep();

      await runs.cancelRun(run.id, bob);

      const calls = (await runs.transcript(run.id)).calls;
      expect(calls.map((c) => [c.callId, c.status])).toEqual([['c1', 'running'], ['c2', 'cancelled'], ['c3', 'cancelled']]);
      expect(calls[1]!.result).toBe('Cancelled by bob before it ran.');
      expect((await requests.getRequest(gate.id))!.status).toBe('cancelled');
    });

    it('stores one progress and one result message per run however many workers store them', async () => {
      const { run } = await startRun(world().stores, world().now());
      const progress = { where: run.where, platformMessageId: null, author: alice, role: 'assistant', type: 'agent_progress', text: 'Working', metadata: { runId: run.id } } as const;
      const others = await world().others(4);
      const stored = await Promise.all(others.map((o) => o.runs.storeRunMessage(run.id, progress)));
      expect(stored.filter((s) => s.isNew)).toHaveLength(1);
      expect(new Set(stored.map((s) => s.message.id)).size).toBe(1);
      expect(await world().stores.runs.findRunMessage(run.id, 'agent_result')).toBeNull();
    });

    it('lists results stored but not posted, older than asked and younger than ten minutes', async () => {
      const { runs, messages } = world().stores;
      const ended = async () => {
        const { run } = await startRun(world().stores, world().now());
        return (await runs.endRun(run.id, { status: 'succeeded', errorCode: null, result: result(run.where, run.id) }))!;
      };
      const stale = await ended();
      await world().elapse(11 * 60_000, { runs: [stale.run.id], messages: [stale.result.id] });
      const [unposted, posted] = [await ended(), await ended()];
      await messages.setPlatformMessageId(posted.result.id, 'p.1');
      await world().elapse(5_000, { runs: [unposted.run.id, posted.run.id], messages: [unposted.result.id, posted.result.id] });
      const fresh = await ended();

      const listed = (await runs.unpostedResults(1_000, 1000)).map((m) => m.id);

      expect(listed).toContain(unposted.result.id);
      expect(listed).not.toContain(posted.result.id);
      expect(listed).not.toContain(stale.result.id);
      expect(listed).not.toContain(fresh.result.id);
    });

    it("lists a conversation's most recent runs, newest first, and no other conversation's", async () => {
      const where = { ...conversation(), thread: '1.1' };
      const runs = [];
      for (const root of ['1.1', '2.2', '3.3']) runs.push((await startRun(world().stores, world().now(), { where: { ...where, thread: root } })).run.id);
      await startRun(world().stores, world().now());
      expect((await world().stores.runs.recentRuns(where, 2)).map((r) => r.id)).toEqual([runs[2], runs[1]]);
    });

    it('finds no run, request or result under an id that is unknown or not an id at all', async () => {
      const { runs, requests } = world().stores;
      for (const id of ['00000000-0000-4000-8000-00000000ffff', 'not-an-id']) {
        expect(await runs.getRun(id)).toBeNull();
        expect(await runs.claimStep(id, LEASE_MS)).toBeNull();
        expect(await runs.cancelRun(id, alice)).toBeNull();
        expect(await runs.findRunMessage(id, 'agent_result')).toBeNull();
        expect(await requests.getRequest(id)).toBeNull();
      }
    });
  });
}
