import type { Decision } from '../../../src/core/model/agent-request';
import type { Person } from '../../../src/core/model/conversation';
import type { Stores } from '../memory-stores';
import { alice, BOT, bob, gatedCall, HISTORY, newRequest, startGate, startRun, thread, workspace as newWorkspace } from './builders';
import type { StoreWorld } from './store-world';

/** Gates: decided exactly once, with their calls, their run and their card moving together. */
export function requestContract(world: () => StoreWorld): void {
  const decide = (stores: Stores, id: string, decision: Decision, by: Person, options: { now?: Date; planHash?: string } = {}) =>
    stores.requests.decideRequest(id, decision, by, {
      now: options.now ?? world().now(),
      planHash: options.planHash ?? 'hash-1',
      reason: decision === 'denied' ? 'not now' : null,
      deniedResult: `Denied by ${by.name}: not now. It did not run.`,
      cardText: `${decision} by ${by.name}`,
    });

  describe('request store', () => {
    it('lets exactly one of twenty concurrent decisions in four processes win', async () => {
      const request = await startGate(world().stores, world().now());
      const others = await world().others(4);
      const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => decide(others[i % 4]!, request.id, i % 2 ? 'approved' : 'denied', { id: `U${i}`, name: `u${i}` })));
      expect(outcomes.filter((o) => o.won)).toHaveLength(1);
      expect(new Set(outcomes.filter((o) => !o.won).map((o) => !o.won && o.reason))).toEqual(new Set(['already_decided']));
    });

    it('cannot decide a request after it expired, nor a plan other than the one shown, nor one that does not exist', async () => {
      const { stores } = world();
      const request = await startGate(stores, world().now());
      const later = new Date(world().now().getTime() + 61_000);
      expect(await decide(stores, request.id, 'approved', alice, { now: later })).toMatchObject({ won: false, reason: 'expired' });
      expect(await decide(stores, request.id, 'approved', alice, { planHash: 'hash-2' })).toMatchObject({ won: false, reason: 'plan_changed' });
      expect(await decide(stores, '00000000-0000-4000-8000-00000000ffff', 'approved', alice)).toEqual({ won: false, reason: 'not_found', request: null });
      expect((await stores.requests.getRequest(request.id))!.status).toBe('pending');
    });

    it('approving readies the calls, wakes the waiting run and rewrites the card, together', async () => {
      const { stores } = world();
      const request = await startGate(stores, world().now());
      const card = { where: request.where, platformMessageId: 'card.1', author: BOT, role: 'assistant', type: 'agent_request', text: 'Approve?', metadata: { requestId: request.id, runId: request.runId } } as const;
      await stores.requests.recordCard(request.id, card);
      await stores.requests.recordCard(request.id, card);

      const outcome = await decide(stores, request.id, 'approved', bob);

      expect(outcome).toMatchObject({ won: true, request: { status: 'approved', decidedBy: bob, cardMessageId: 'card.1', calls: [{ status: 'ready', result: null }] } });
      expect((await stores.runs.getRun(request.runId))!.status).toBe('running');
      const cards = (await stores.messages.readThread(request.where, HISTORY)).history.filter((m) => m.type === 'agent_request');
      expect(cards.map((m) => m.text)).toEqual(['approved by bob']);
    });

    it("stores a request's card token, and recording a card decided before it was stored tells how the request stands", async () => {
      const { stores } = world();
      const request = await startGate(stores, world().now(), { cardToken: 'token-1' });
      expect(request.cardToken).toBe('token-1');
      expect((await stores.requests.getRequest(request.id))!.cardToken).toBe('token-1');
      // A click carrying the card's token decided before the card's row was written.
      await decide(stores, request.id, 'approved', bob);
      const card = { where: request.where, platformMessageId: 'card.2', author: BOT, role: 'assistant', type: 'agent_request', text: 'Approve?', metadata: { requestId: request.id, runId: request.runId } } as const;

      expect(await stores.requests.recordCard(request.id, card)).toEqual({ status: 'approved', planHash: 'hash-1' });
      expect((await stores.requests.getRequest(request.id))!.cardMessageId).toBe('card.2');
      expect(await stores.requests.recordCard('00000000-0000-4000-8000-00000000ffff', { ...card, platformMessageId: 'card.3' })).toBeNull();
    });

    it('denying ends the calls with what the model is to read, and wakes the run to tell it', async () => {
      const { stores } = world();
      const request = await startGate(stores, world().now());
      const outcome = await decide(stores, request.id, 'denied', bob);
      expect(outcome).toMatchObject({ won: true, request: { status: 'denied', reason: 'not now', calls: [{ status: 'denied', result: 'Denied by bob: not now. It did not run.' }] } });
      expect((await stores.runs.getRun(request.runId))!.status).toBe('running');
    });

    it("edits a pending request's arguments and plan hash only while it still shows the plan the editor saw", async () => {
      const { stores } = world();
      const request = await startGate(stores, world().now());
      const [gated] = request.calls;
      const edited = await stores.requests.editRequest(request.id, [{ callRecordId: gated!.id, args: { steps: 5 } }], 'hash-1', 'hash-2');
      const stale = await stores.requests.editRequest(request.id, [{ callRecordId: gated!.id, args: { steps: 9 } }], 'hash-1', 'hash-3');
      expect(edited).toMatchObject({ planHash: 'hash-2', calls: [{ args: { steps: 5 } }] });
      expect(stale).toBeNull();
      expect((await stores.runs.transcript(request.runId)).planHashes.get(request.id)).toBe('hash-2');
      expect((await decide(stores, request.id, 'approved', alice, { planHash: 'hash-2' })).won).toBe(true);
    });

    it('expires every pending request past its expiry, with its calls, once', async () => {
      const { stores } = world();
      const now = world().now();
      const due = await startGate(stores, now, { expiresAt: new Date(now.getTime() + 1_000) });
      const notYet = await startGate(stores, now, { expiresAt: new Date(now.getTime() + 120_000) });
      const at = new Date(now.getTime() + 60_000);

      const expired = (await stores.requests.expireDueRequests(at)).map((q) => q.id);
      const again = (await stores.requests.expireDueRequests(at)).map((q) => q.id);

      expect(expired).toContain(due.id);
      expect(expired).not.toContain(notYet.id);
      expect(again).not.toContain(due.id);
      expect((await stores.requests.getRequest(due.id))!.calls.map((c) => [c.status, c.result])).toEqual([['expired', 'The request expired before anyone decided; it did not run.']]);
    });

    it('lists what each person may decide in their workspace: approvers any, others their own non-destructive ones, nobody their own destructive one under four eyes', async () => {
      const { stores } = world();
      const workspace = newWorkspace();
      const gate = async (by: Person, destructive: boolean) => {
        const where = { ...thread(), workspace };
        const { request } = await startRun(stores, world().now(), { where, requestedBy: by, calls: [gatedCall('c1')], request: newRequest(world().now(), { destructive }) });
        return request!.id;
      };
      const mine = await gate(alice, false);
      const mineDestructive = await gate(alice, true);
      const bobs = await gate(bob, true);
      const decided = await gate(bob, false);
      await decide(stores, decided, 'approved', bob);
      const user = { platform: 'slack', workspace, userId: alice.id } as const;
      const ids = async (as: { approver: boolean; fourEyes: boolean }, limit = 10) => {
        const page = await stores.requests.awaitingDecisionBy(user, as, world().now(), limit);
        return { ids: page.requests.map((q) => q.id), total: page.total };
      };

      expect(await ids({ approver: true, fourEyes: false })).toEqual({ ids: [bobs, mineDestructive, mine], total: 3 });
      expect(await ids({ approver: true, fourEyes: true })).toEqual({ ids: [bobs, mine], total: 2 });
      expect(await ids({ approver: false, fourEyes: false })).toEqual({ ids: [mine], total: 1 });
      expect(await ids({ approver: true, fourEyes: false }, 1)).toEqual({ ids: [bobs], total: 3 });
      expect(await stores.requests.awaitingDecisionBy({ ...user, workspace: 'T-elsewhere' }, { approver: true, fourEyes: false }, world().now(), 10)).toEqual({ requests: [], total: 0 });

      const asked = await stores.requests.requestedBy(user, 10);
      expect({ ids: asked.requests.map((q) => q.id), total: asked.total }).toEqual({ ids: [mineDestructive, mine], total: 2 });
      const ofRuns = await stores.requests.requestsOfRuns(asked.requests.map((q) => q.runId));
      expect(ofRuns.map((q) => q.id)).toEqual([mine, mineDestructive]);
    });
  });
}
