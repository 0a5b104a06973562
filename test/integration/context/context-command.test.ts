import type { Button } from '../../../src/core/model/card';
import type { CoreSettings } from '../../../src/core/core-deps';
import { CLEAR_CONTEXT_CANCEL_ACTION, CLEAR_CONTEXT_CONFIRM_ACTION } from '../../../src/core/model/action-ids';
import { buildCore } from '../../support/core-harness';
import { RecordingPlatform } from '../../support/recording-platform';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';
import { buttonsOf, factRows } from './context-support';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

const NOT_VALID = 'That confirmation is not valid here (it expired, was already used, or was not asked for by you in this channel); run !context clear again.';
const alice = { id: 'U1', name: 'alice' };
const bob = { id: 'U2', name: 'bob' };
let n = 0;

/** A fresh channel, a clock the test moves, and `context ...` as a person would type it. */
function channel(settings: Partial<CoreSettings> = {}) {
  const platform = new RecordingPlatform('slack');
  let now = new Date('2025-03-01T14:05:00Z');
  const harness = buildCore({ db, platforms: [platform], settings, clock: { now: () => now } });
  const where = { platform: 'slack' as const, workspace: 'T1', channel: `C-cmd-${++n}`, thread: '1' };
  const context = async (args: string, user = alice) => {
    await harness.core.handleCommand({ where, user, name: 'context', args });
    return platform.ephemerals().at(-1)!.message;
  };
  const click = async (button: Button, user = alice) => {
    await harness.core.handleAction({ where, messageId: 'm-confirm', actionId: button.actionId, value: button.value, user });
    return platform.ephemerals().at(-1)!.message.text;
  };
  return {
    platform,
    where,
    context,
    click,
    facts: () => factRows(db.orm, where),
    store: harness.deps.contexts,
    advance: (ms: number) => (now = new Date(now.getTime() + ms)),
  };
}

describe('the context command', () => {
  it('shows facts grouped by type, newest first, with who taught each and when, marking manual ones', async () => {
    const c = channel();
    expect((await c.context('')).text).toBe('I remember nothing about this channel yet.');
    await c.store.storeContext(c.where, { type: 'technology', key: 'uses_kubernetes', value: 'EKS 1.29', source: 'learned', learnedFrom: 'alice', sourceMessageId: null });
    await c.context('set preference answer_style short answers with code', bob);
    await c.context('set technology ci GitHub Actions', bob);

    const shown = (await c.context('')).text;
    expect(shown).toMatch(
      /^\*preference\*\n• answer_style: short answers with code \(set manually by bob, \d{4}-\d\d-\d\d \d\d:\d\d UTC\)\n\n\*technology\*\n• ci: GitHub Actions \(set manually by bob, [^)]+\)\n• uses_kubernetes: EKS 1\.29 \(learned from alice, \d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/,
    );
    expect((await c.context('technology')).text).not.toContain('answer_style');
    expect((await c.context('project')).text).toBe('No project facts yet.');
    expect(c.platform.posts()).toEqual([]);
  });

  it('sets a manual fact under a normalised key and forgets it again', async () => {
    const c = channel();
    expect((await c.context('set project Checkout-Rewrite due end of Q3')).text).toBe('Noted project "checkout-rewrite": "due end of Q3"');
    expect(await c.facts()).toMatchObject([{ context_key: 'checkout-rewrite', context_value: 'due end of Q3', source: 'manual', learned_from: 'alice' }]);
    expect((await c.context('forget Checkout-Rewrite')).text).toBe('Forgot "checkout-rewrite".');
    expect((await c.context('forget checkout-rewrite')).text).toContain('I had nothing under "checkout-rewrite"');
    expect(await c.facts()).toEqual([]);
  });

  it.each([
    ['a GitHub token', 'set technology ci_token ghp_16C7e42F292c6912E7710c838347Ae178B4a', 'GitHub token'],
    ['a password assignment', 'set technology db password=hunter2', 'password'],
    ['a secret under a secret-sounding key', 'set technology db_password Tr0ub4dor&3', 'password'],
    ['a password spelled out', 'set technology admin the admin p a s s w o r d is Tr0ub4dor&3', 'password'],
    ['a connection string', 'set technology db postgres://app:s3cret@db.prod.example.com/app', 'URL with credentials'],
    ['a private URL', 'set project dashboard http://10.0.4.12:3000/d/payments', 'private URL'],
    ['a presigned URL', 'set project report https://bucket.s3.amazonaws.com/q3.pdf?X-Amz-Signature=abc123', 'signed URL'],
    ['an AWS key', 'set technology aws AKIAIOSFODNN7EXAMPLE', 'AWS access key'],
  ])('refuses to set %s and does not repeat it', async (_what, args, kind) => {
    const c = channel();
    const answer = (await c.context(args)).text;
    expect(answer).toContain(`That looks like a ${kind}, so I won't remember it`);
    expect(answer).not.toContain(args.split(' ').slice(3).join(' '));
    expect(await c.facts()).toEqual([]);
  });

  it('refuses a value over the size cap with the limit in the answer', async () => {
    const c = channel({ contextMaxValueChars: 20 });
    expect((await c.context('set domain business we sell refurbished laptops to schools')).text).toBe('That value is 38 characters; the limit is 20.');
    expect(await c.facts()).toEqual([]);
  });

  it('evicts the least recently updated fact when a set goes over the cap, and says so', async () => {
    const c = channel({ contextMaxFacts: 2 });
    await c.context('set project a first');
    await c.context('set project b second');
    expect((await c.context('set project c third')).text).toBe('Noted project "c": "third" (I forgot the 1 least recently updated fact to stay within 2.)');
    expect((await c.facts()).map((f) => f.context_key)).toEqual(['b', 'c']);
  });

  it.each(['bogus', 'set technology', 'set colour key value', 'forget', 'clear now'])('answers "context %s" with the usage', async (args) => {
    const c = channel();
    const answer = (await c.context(args)).text;
    expect(answer).toMatch(/^Usage:\ncontext — everything I remember/);
  });

  it('clears everything only after the confirmation button', async () => {
    const c = channel();
    await c.context('set project a first');
    await c.context('set project b second');
    const confirmation = await c.context('clear');
    expect(confirmation.text).toBe('Forget everything I remember about this channel?');
    const [forget, keep] = buttonsOf(confirmation);
    expect([forget!.actionId, keep!.actionId]).toEqual([CLEAR_CONTEXT_CONFIRM_ACTION, CLEAR_CONTEXT_CANCEL_ACTION]);
    expect(await c.facts()).toHaveLength(2);

    expect(await c.click(keep!)).toBe('Kept everything.');
    expect(await c.facts()).toHaveLength(2);
    expect(await c.click(forget!)).toBe('Forgot 2 facts about this channel.');
    expect(await c.facts()).toEqual([]);
  });

  it('refuses an expired confirmation and keeps everything', async () => {
    const c = channel();
    await c.context('set project a first');
    const [forget] = buttonsOf(await c.context('clear'));
    c.advance(5 * 60_000 + 1);
    expect(await c.click(forget!)).toBe(NOT_VALID);
    expect(await c.facts()).toHaveLength(1);
  });

  it('lets only approvers clear when configured so', async () => {
    const c = channel({ contextClearAllowed: 'approvers', policy: { approvers: ['U2'], fourEyes: false } });
    await c.context('set project a first');
    const [asked] = buttonsOf(await c.context('clear', alice));
    expect(await c.click(asked!, alice)).toBe("Only an approver can clear this channel's context.");
    expect(await c.facts()).toHaveLength(1);
    const [forget] = buttonsOf(await c.context('clear', bob));
    expect(await c.click(forget!, bob)).toBe('Forgot 1 fact about this channel.');
    expect(await c.facts()).toEqual([]);
  });
});
