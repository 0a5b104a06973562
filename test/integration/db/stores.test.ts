import { randomUUID } from 'node:crypto';
import type { ThreadRef } from '../../../src/core/model/conversation';
import type { RequestStore } from '../../../src/core/ports/stores';
import { createStores, type Stores } from '../../../src/db/create-stores';
import { openConnections, type Connections } from '../../../src/db/orm';
import { rows } from '../../support/db-rows';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

let db: TestDatabase;
let n = 0;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

/** The stores on the test's database, as the app builds them. */
const stores = (): Stores => createStores(db.orm.em.fork(), db.sql);
/** The stores on connections of their own: another process, as far as Postgres can tell. */
const storesOn = (other: Connections): Stores => createStores(other.orm.em.fork(), other.sql);
const fourMoreConnections = () => Promise.all([1, 2, 3, 4].map(() => openConnections(db.url, { orm: 5, hot: 5 })));

const conversation = () => ({ platform: 'slack' as const, workspace: 'T1', channel: `C${++n}` });
const thread = () => ({ ...conversation(), thread: '100.1' });
const alice = { id: 'U1', name: 'alice' };
/** The history a turn reads with its insert, as the core asks for it. */
const HISTORY = 20;

describe('message store', () => {
  it('stores a message once when the same platform id is appended twice', async () => {
    const messages = stores().messages;
    const where = thread();
    const input = { where, platformMessageId: '100.1', author: alice, role: 'user' as const, type: 'text' as const, text: 'hi', metadata: {} };
    const first = await messages.appendTurn(input, HISTORY);
    const second = await messages.appendTurn({ ...input, text: 'hi again' }, HISTORY);
    expect([first.isNew, second.isNew]).toEqual([true, false]);
    expect(second.message.id).toBe(first.message.id);
    const stored = await rows(db.orm, 'select text from message m join conversation c on c.id = m.conversation_id where c.channel_id = ?', [where.channel]);
    expect(stored).toEqual([{ text: 'hi' }]);
  });

  it('returns the last n messages of a thread, oldest first, and nothing from other threads', async () => {
    const messages = stores().messages;
    const where = thread();
    for (const i of [1, 2, 3, 4]) {
      await messages.appendTurn({ where, platformMessageId: `m${i}`, author: alice, role: 'user', type: 'text', text: `#${i}`, metadata: {} }, HISTORY);
    }
    await messages.appendTurn({ where: { ...where, thread: 'other' }, platformMessageId: 'x', author: alice, role: 'user', type: 'text', text: 'elsewhere', metadata: {} }, HISTORY);
    expect((await messages.readThread(where, 3)).history.map((m) => m.text)).toEqual(['#2', '#3', '#4']);
  });

  it('stores a turn and reads, in the same statement, the thread as it was before it: earlier messages and the conversation\'s facts', async () => {
    const messages = stores().messages;
    const where = thread();
    for (const i of [1, 2, 3]) {
      await messages.appendTurn({ where, platformMessageId: `t${i}`, author: alice, role: 'user', type: 'text', text: `#${i}`, metadata: {} }, HISTORY);
    }
    await stores().contexts.storeContext(where, { type: 'project', key: 'project', value: 'Apollo', source: 'learned', learnedFrom: 'alice', sourceMessageId: null });
    const turn = { where, platformMessageId: 't4', author: alice, role: 'user', type: 'text', text: '#4', metadata: {} } as const;

    const first = await messages.appendTurn(turn, 3);
    const again = await messages.appendTurn(turn, 3);

    expect([first.isNew, again.isNew]).toEqual([true, false]);
    expect(again.message.id).toBe(first.message.id);
    // The last historyLimit - 1 messages before the new one; the turn adds itself.
    expect(first.before.history.map((m) => m.text)).toEqual(['#2', '#3']);
    expect(first.before.facts.map((f) => f.value)).toEqual(['Apollo']);
    expect((await messages.readThread(where, 3)).history.map((m) => m.text)).toEqual(['#2', '#3', '#4']);
  });

  it('stores a message carrying NUL and a lone surrogate, with both replaced, instead of failing', async () => {
    const messages = stores().messages;
    const where = thread();
    const text = 'nul\u0000 here, half an emoji \ud83d there';
    const { isNew } = await messages.appendTurn({ where, platformMessageId: 'odd-1', author: alice, role: 'user', type: 'text', text, metadata: { note: text } }, HISTORY);
    expect(isNew).toBe(true);
    const [row] = await rows<{ text: string; metadata: { note: string } }>(
      db.orm,
      'select text, metadata from message m join conversation c on c.id = m.conversation_id where c.channel_id = ?',
      [where.channel],
    );
    expect(row).toEqual({ text: 'nul\uFFFD here, half an emoji \uFFFD there', metadata: { note: 'nul\uFFFD here, half an emoji \uFFFD there' } });
  });

  it('hands a turn whose claim lapsed to exactly one of two sweeping processes, only on their platforms, and marks turns older than the window skipped', async () => {
    const turn = async (where: ThreadRef, age: { created: string; claimed: string }) => {
      const { message } = await stores().messages.appendTurn({ where, platformMessageId: randomUUID(), author: alice, role: 'user', type: 'text', text: 'help?', metadata: {} }, HISTORY);
      await rows(db.orm, `update message set created_at = now() - ?::interval, turn_claimed_at = now() - ?::interval where id = ?`, [age.created, age.claimed, message.id]);
      return message.id;
    };
    // Leases far longer than this file's other turns have lived, so only these are due.
    const lapsed = await turn(thread(), { created: '0 s', claimed: '2 hours' });
    const tooOld = await turn(thread(), { created: '5 hours', claimed: '5 hours' });
    const elsewhere = await turn({ ...thread(), platform: 'discord' }, { created: '0 s', claimed: '2 hours' });
    const held = await turn(thread(), { created: '0 s', claimed: '0 s' });
    const others = await fourMoreConnections();
    try {
      const sweeps = await Promise.all(others.slice(0, 2).map((o) => storesOn(o).messages.claimStaleTurns(3_600_000, 4 * 3_600_000, 50, ['slack'])));

      expect(sweeps.flatMap((s) => s.claimed.map((m) => [m.id, m.where.platform, m.text]))).toEqual([[lapsed, 'slack', 'help?']]);
      expect(sweeps.map((s) => s.skipped).sort()).toEqual([0, 1]);
      const states = await rows<{ id: string; turn_state: string }>(db.orm, 'select id, turn_state from message where id in (?, ?, ?, ?)', [lapsed, tooOld, elsewhere, held]);
      expect(Object.fromEntries(states.map((s) => [s.id, s.turn_state]))).toEqual({ [lapsed]: 'pending', [tooOld]: 'skipped', [elsewhere]: 'pending', [held]: 'pending' });
    } finally {
      await Promise.all(others.map((o) => o.close()));
    }
  });

  it('refuses agent_request metadata that breaks its schema, naming the field', async () => {
    const requests = stores().requests;
    await expect(
      requests.recordCard(randomUUID(), {
        where: thread(),
        platformMessageId: null,
        author: alice,
        role: 'assistant',
        type: 'agent_request',
        text: 'x',
        metadata: { requestId: 'not-a-uuid', runId: '00000000-0000-4000-8000-000000000000' } as never,
      }),
    ).rejects.toThrow(/invalid agent_request metadata: requestId/);
  });
});

describe('request store', () => {
  /** A run whose first turn asked for one gated call: its request waits for a decision. */
  const newGate = async (expiresInMs = 60_000) => {
    const created = await stores().runs.createRun({
      where: thread(),
      kind: 'manual',
      status: 'waiting',
      requestedBy: alice,
      triggerMessageId: null,
      deadlineAt: new Date(Date.now() + 3_600_000),
      turn: { content: null, usage: null, calls: [{ callId: 'c1', tool: 'countdown', args: { steps: 1 }, gate: 'gated', status: 'pending', idempotent: true, result: null }] },
      request: { id: randomUUID(), summary: 'Count down', destructive: false, expiresAt: new Date(Date.now() + expiresInMs), planHash: 'hash-1' },
    });
    return created!.request!;
  };
  const decide = (repo: RequestStore, id: string, decision: 'approved' | 'denied', by: typeof alice, now = new Date(), planHash = 'hash-1') =>
    repo.decideRequest(id, decision, by, { now, planHash, reason: null, deniedResult: 'denied', cardText: `${decision} by ${by.name}` });

  it('lets exactly one of 20 concurrent decisions on separate connections win', async () => {
    const request = await newGate();
    const others = await fourMoreConnections();
    try {
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) => decide(storesOn(others[i % 4]!).requests, request.id, i % 2 ? 'approved' : 'denied', { id: `U${i}`, name: `u${i}` })),
      );
      expect(outcomes.filter((o) => o.won)).toHaveLength(1);
      expect(new Set(outcomes.filter((o) => !o.won).map((o) => !o.won && o.reason))).toEqual(new Set(['already_decided']));
    } finally {
      await Promise.all(others.map((o) => o.close()));
    }
  });

  it('cannot approve a request after it expired, nor a plan other than the one shown', async () => {
    const repo = stores().requests;
    const request = await newGate(1_000);
    expect(await decide(repo, request.id, 'approved', alice, new Date(Date.now() + 5_000))).toMatchObject({ won: false, reason: 'expired' });
    expect(await decide(repo, request.id, 'approved', alice, new Date(), 'hash-2')).toMatchObject({ won: false, reason: 'plan_changed' });
    expect((await repo.getRequest(request.id))!.status).toBe('pending');
  });

  it('moves the calls and the run with the decision, in the same statement', async () => {
    const repo = stores().requests;
    const request = await newGate();
    const outcome = await decide(repo, request.id, 'approved', alice);
    expect(outcome).toMatchObject({ won: true, request: { status: 'approved', decidedBy: alice, calls: [{ status: 'ready' }] } });
    const [run] = await rows<{ status: string }>(db.orm, 'select status from agent_run where id = ?', [request.runId]);
    expect(run).toEqual({ status: 'running' });
  });
});

describe('context store', () => {
  it('updates a fact in place: one row, new value, updatedAt moved, createdAt kept', async () => {
    const contexts = stores().contexts;
    const where = conversation();
    const fact = { type: 'technology' as const, key: 'uses_kubernetes', source: 'learned' as const, learnedFrom: 'alice', sourceMessageId: null };
    const first = await contexts.storeContext(where, { ...fact, value: 'yes' });
    await new Promise((r) => setTimeout(r, 20));
    const second = await contexts.storeContext(where, { ...fact, value: 'yes, EKS 1.29 via ArgoCD' });
    expect(second.createdAt).toEqual(first.createdAt);
    expect(second.updatedAt.getTime()).toBeGreaterThan(first.updatedAt.getTime());
    expect((await contexts.retrieveContext(where)).map((f) => f.value)).toEqual(['yes, EKS 1.29 via ArgoCD']);
  });

  it('retrieves by type, forgets one key and clears the rest', async () => {
    const contexts = stores().contexts;
    const where = conversation();
    const base = { source: 'manual' as const, learnedFrom: 'alice', sourceMessageId: null };
    await contexts.storeContext(where, { ...base, type: 'domain', key: 'industry', value: 'fintech' });
    await contexts.storeContext(where, { ...base, type: 'preference', key: 'tone', value: 'brief' });
    await contexts.storeContext(where, { ...base, type: 'preference', key: 'language', value: 'en' });
    expect((await contexts.retrieveContextByType(where, 'preference')).map((f) => f.key).sort()).toEqual(['language', 'tone']);
    expect(await contexts.forgetContext(where, 'tone')).toBe(true);
    expect(await contexts.forgetContext(where, 'tone')).toBe(false);
    expect(await contexts.clearContext(where)).toBe(2);
    expect(await contexts.retrieveContext(where)).toEqual([]);
  });

  it('removes a conversation\'s context when the conversation is deleted', async () => {
    const contexts = stores().contexts;
    const where = conversation();
    await contexts.storeContext(where, { type: 'project', key: 'name', value: 'apollo', source: 'manual', learnedFrom: null, sourceMessageId: null });
    await rows(db.orm, 'delete from conversation where channel_id = ?', [where.channel]);
    const left = await rows(db.orm, `select x.id from conversation_context x where x.context_value = '"apollo"'::jsonb`);
    expect(left).toEqual([]);
  });

  it('keeps conversations apart even when channel ids collide across workspaces', async () => {
    const contexts = stores().contexts;
    const a = { platform: 'slack' as const, workspace: 'TA', channel: 'CSAME' };
    const b = { platform: 'slack' as const, workspace: 'TB', channel: 'CSAME' };
    await contexts.storeContext(a, { type: 'project', key: 'codename', value: 'apollo', source: 'manual', learnedFrom: null, sourceMessageId: null });
    expect(await contexts.retrieveContext(b)).toEqual([]);
    expect(await contexts.clearContext(b)).toBe(0);
    expect(await contexts.retrieveContext(a)).toHaveLength(1);
  });

  it('evicts the least recently updated facts beyond the cap', async () => {
    const contexts = stores().contexts;
    const where = conversation();
    for (const key of ['a', 'b', 'c']) {
      await contexts.storeContext(where, { type: 'domain', key, value: key, source: 'manual', learnedFrom: null, sourceMessageId: null });
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(await contexts.evictOldest(where, 2)).toBe(1);
    expect((await contexts.retrieveContext(where)).map((f) => f.key)).toEqual(['c', 'b']);
  });
});

describe('confirmation store', () => {
  it('redeems a token once when twenty clicks race through four connection pools, as from four processes', async () => {
    const holder = { purpose: 'context_clear' as const, conversation: conversation(), userId: 'U1' };
    const now = new Date();
    const token = await stores().confirmations.issue(holder, new Date(now.getTime() + 60_000));
    const others = await fourMoreConnections();
    try {
      const redeemed = await Promise.all(Array.from({ length: 20 }, (_, i) => storesOn(others[i % 4]!).confirmations.redeem(token, holder, now)));
      expect(redeemed.filter(Boolean)).toHaveLength(1);
      const stored = await rows<{ used: boolean }>(db.orm, 'select used_at is not null as used from confirmation where token = ?', [token]);
      expect(stored).toEqual([{ used: true }]);
    } finally {
      await Promise.all(others.map((o) => o.close()));
    }
  });

  it('refuses a token from another user, workspace or platform, at its expiry, or that is not a uuid, and still redeems it once for its holder', async () => {
    const confirmations = stores().confirmations;
    const holder = { purpose: 'context_clear' as const, conversation: conversation(), userId: 'U1' };
    const now = new Date();
    const token = await confirmations.issue(holder, new Date(now.getTime() + 60_000));
    const refused = [
      await confirmations.redeem(token, { ...holder, userId: 'U2' }, now),
      await confirmations.redeem(token, { ...holder, conversation: { ...holder.conversation, workspace: 'T2' } }, now),
      await confirmations.redeem(token, { ...holder, conversation: { ...holder.conversation, platform: 'discord' } }, now),
      await confirmations.redeem(token, holder, new Date(now.getTime() + 60_000)),
      await confirmations.redeem(String(now.getTime()), holder, now),
    ];
    expect(refused).toEqual([false, false, false, false, false]);
    expect(await confirmations.redeem(token, holder, now)).toBe(true);
  });
});

describe('feedback store', () => {
  /** A user's turn and the bot's reply to it; `asked` marks the reply as an answer that asks for feedback. */
  async function answerIn(where: ReturnType<typeof thread>, asked: boolean) {
    const messages = stores().messages;
    const { message: turn } = await messages.appendTurn({ where, platformMessageId: `q-${randomUUID()}`, author: alice, role: 'user', type: 'text', text: 'q', metadata: {} }, HISTORY);
    const bot = { id: 'U_BOT', name: 'switchboard' };
    return messages.appendReply(turn.id, { id: randomUUID(), where, platformMessageId: `a-${randomUUID()}`, author: bot, role: 'assistant', type: 'text', text: 'a', metadata: asked ? { feedback: true } : {} });
  }
  const ratingsOf = (messageId: string) => rows<{ user_id: string; rating: string }>(db.orm, 'select user_id, rating from answer_feedback where message_id = ? order by user_id', [messageId]);

  it("keeps one rating per person and answer however many of their clicks race, in any number of connections: Postgres's unique key, not memory", async () => {
    const where = thread();
    const answer = await answerIn(where, true);
    const others = await fourMoreConnections();
    try {
      const ratings = ['positive', 'negative'] as const;
      const stored = await Promise.all(Array.from({ length: 20 }, (_, i) => storesOn(others[i % 4]!).feedback.rate(where, answer.id, alice, ratings[i % 2]!)));
      expect(stored.every(Boolean)).toBe(true);
      expect(await ratingsOf(answer.id)).toEqual([{ user_id: 'U1', rating: expect.stringMatching(/^(positive|negative)$/) }]);
    } finally {
      await Promise.all(others.map((o) => o.close()));
    }
  });

  it("rates only an answer that asked for feedback, in its own conversation, and tallies a conversation's answers alone", async () => {
    const feedback = stores().feedback;
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
    expect(await feedback.rate(where, answer.id, { id: 'U2', name: 'bob' }, 'positive')).toBe(true);
    expect(await feedback.tally(where, 50)).toEqual({ answers: 1, positive: 1, negative: 0 });
    expect(await feedback.tally({ ...where, workspace: 'T2' }, 50)).toEqual({ answers: 0, positive: 0, negative: 0 });
  });
});
