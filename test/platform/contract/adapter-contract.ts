/**
 * The adapter contract: what every chat platform must do, written once and run against
 * each adapter through its real client and its fake platform, over the real core and
 * Postgres. Adding a platform means writing its driver (./driver.ts) and passing this.
 * Where a platform cannot do a thing, or does it its own way, its driver says so and the
 * test's title says it too.
 */
import { text } from '../../../src/core/model/card';
import { textFile } from '../../../src/core/model/outbound-file';
import { eventually } from '../../support/eventually';
import { ANY_MESSAGE, type Shown } from '../../support/platform-matchers';
import { replyWith, runStatus, storedFacts, storedTimes } from './contract-kit';
import type { Conversation, DriverSpec, PlatformDriver } from './driver';

/** A title, and in brackets how this platform differs, if it does. */
const titled = (title: string, quirk: string | undefined) => (quirk ? `${title} (${quirk})` : title);

const COUNTDOWN = '!run countdown {"steps":2,"delayMs":10}';

/** Registers the contract's tests for one platform. */
export function adapterContract(spec: DriverSpec): void {
  const { quirks } = spec;
  let driver: PlatformDriver;
  beforeAll(async () => {
    driver = await spec.start();
  });
  afterAll(() => driver?.stop());
  afterEach(() => driver.settle());

  /** The target of an edit check: the message, where the platform names messages. */
  const target = (message: { messageId: string | null }) => (quirks.noMessageIds ? ANY_MESSAGE : message.messageId!);
  const posts = (conversation: Conversation) => conversation.shown().filter((s) => s.kind === 'post');
  /** The posts as they read now, each with the text of its latest edit: an answer streamed as it is written is edited. */
  const postsNow = (conversation: Conversation) => {
    const shown = conversation.shown();
    const latest = (post: Shown) => shown.filter((s) => s.kind === 'edit' && post.messageId !== null && s.messageId === post.messageId).at(-1)?.text ?? post.text;
    return shown.filter((s) => s.kind === 'post').map((post) => ({ ...post, text: latest(post) }));
  };

  /** Asks for a countdown in a new conversation; resolves with the approval card once shown. */
  async function countdownCard(): Promise<{ conversation: Conversation; card: Shown }> {
    const conversation = await driver.open();
    await conversation.say(COUNTDOWN);
    const card = await eventually(() => {
      const found = posts(conversation).find((s) => /request needs approval/i.test(s.text));
      if (!found) throw new Error('no approval card yet');
      return found;
    });
    return { conversation, card };
  }

  describe(`the ${spec.name} adapter`, () => {
    test(titled('post: a message the core posts appears in the thread, under the id the adapter returned', quirks.noMessageIds), async () => {
      const conversation = await driver.open();

      const posted = await driver.adapter.post(conversation.where, text('Deploy finished.'));

      expect(conversation).toHavePosted({ text: 'Deploy finished.', inThread: true });
      if (!quirks.noMessageIds) expect(posts(conversation).map((s) => s.messageId)).toEqual([posted.messageId]);
    });

    test(titled('edit: an update replaces the message in place and posts nothing new', quirks.noMessageIds), async () => {
      const conversation = await driver.open();
      const posted = await driver.adapter.post(conversation.where, text('Step 1 of 2'));

      await driver.adapter.update(posted, text('Step 2 of 2'));

      expect(conversation).toHaveEdited(target({ messageId: posted.messageId }), { text: 'Step 2 of 2' });
      expect(posts(conversation).map((s) => s.text)).toEqual(['Step 1 of 2']);
    });

    test(titled('ephemeral: a note for one person is shown to them in the thread, not posted', quirks.notesSeenByAll), async () => {
      const conversation = await driver.open();

      await driver.adapter.ephemeral(conversation.where, conversation.user.id, text('Only for you.'));

      expect(conversation).toHaveShownPrivately(conversation.user.id, { text: 'Only for you.', inThread: true });
      expect(conversation).not.toHavePosted({ text: 'Only for you.' });
    });

    test('a message to the bot is answered in its thread with what the model said', async () => {
      replyWith(driver.llm, 'All systems go.');
      const conversation = await driver.open();

      await conversation.say('how is the deploy?');

      await eventually(() => expect(conversation).toHavePosted({ text: 'All systems go.', inThread: true }));
    });

    test('uploadFile: a file the core sends shows in the thread with its one line, holding its bytes', async () => {
      const conversation = await driver.open();

      await driver.adapter.uploadFile!(conversation.where, textFile('report.csv', 'service,status\napi,up\n', 'Here is the report.', 'text/csv'));

      expect(conversation.files()).toEqual([{ name: 'report.csv', text: 'service,status\napi,up\n' }]);
      expect(conversation).toHavePosted({ text: /Here is the report\./, inThread: true });
    });

    const limit = spec.textLimit;
    test(titled('a 20,000-character answer arrives as a file holding all of it, plus at most one message', limit === null ? 'no message limit: one message' : undefined), async () => {
      const paragraph = `${'lorem ipsum dolor sit amet '.repeat(30).trim()}\n\n`;
      const long = `${paragraph.repeat(Math.ceil(20_000 / paragraph.length))}THE END.`;
      replyWith(driver.llm, long);
      const conversation = await driver.open();

      await conversation.say('tell me everything');

      if (limit === null) {
        await eventually(() => expect(postsNow(conversation).at(-1)?.text).toMatch(/THE END\.$/));
        expect(posts(conversation)).toHaveLength(1);
        return;
      }
      const [file] = await eventually(() => {
        const files = conversation.files();
        expect(files).toHaveLength(1);
        return files;
      });
      expect(file).toEqual({ name: 'answer.md', text: long });
      await eventually(() => expect(posts(conversation)).toHaveLength(1));
      const [line] = posts(conversation);
      expect(line!.inThread).toBe(true);
      expect(line!.text).toMatch(/answer\.md/);
      expect(line!.text.length).toBeLessThanOrEqual(limit);
    });

    test('a request is posted in the thread as a card with Approve, Deny, Deny with reason, Edit and (countdown not being destructive) Always allow here buttons', async () => {
      const { card } = await countdownCard();

      expect(card.inThread).toBe(true);
      expect(card.text).toMatch(/countdown/);
      expect(card.buttons.map((b) => b.label)).toEqual(['Approve', 'Deny', 'Deny with reason…', 'Edit…', 'Always allow here']);
    });

    test(titled('a click on Approve edits the card to show the decision without buttons, then the run reports in place and posts its result', quirks.noMessageIds), async () => {
      const { conversation, card } = await countdownCard();

      await conversation.click(card, 'Approve');

      await eventually(() => expect(conversation).toHavePosted({ text: /Lift-off after 2 steps/, inThread: true }), 8000);
      expect(conversation).toHaveEdited(target(card), { text: new RegExp(`Approved by ${conversation.user.name}`), buttons: [] });
      const progress = posts(conversation).find((s) => /^working/i.test(s.text));
      expect(progress).toBeDefined();
      // The result is posted first; the progress message's last edit follows it.
      await eventually(() => expect(conversation).toHaveEdited(target(progress!), { text: /^Run finished/i }), 8000);
      await eventually(async () => expect(await runStatus(driver.db, card.text)).toBe('succeeded'));
    });

    // A platform that cannot deliver twice shows this test as skipped, its title saying why.
    (quirks.noRedelivery ? test.skip : test)(titled('a message delivered twice is stored once and answered once', quirks.noRedelivery), async () => {
      replyWith(driver.llm, 'Just one reply.');
      const conversation = await driver.open();

      await conversation.say('dedupe me');
      await conversation.redeliver();

      const { platform, channel } = conversation.where;
      await eventually(() => expect(driver.logged('redelivered message ignored', { platform, channel })).toBe(true));
      await eventually(() => expect(conversation).toHavePosted({ text: 'Just one reply.' }));
      await driver.settle();
      expect(posts(conversation).map((s) => s.text)).toEqual(['Just one reply.']);
      expect(await storedTimes(driver.db, conversation.where, 'dedupe me')).toBe(1);
    });

    test('a slash command is answered privately to whoever ran it and does what it says', async () => {
      const conversation = await driver.open();

      await conversation.command({ command: 'context', subcommand: 'set', options: [['type', 'technology'], ['key', 'database'], ['value', 'postgres 16']] });

      await eventually(() => expect(conversation).toHaveShownPrivately(conversation.user.id, { text: 'Noted technology "database": "postgres 16"' }));
      expect(await storedFacts(driver.db, conversation.where)).toEqual([{ key: 'database', value: 'postgres 16' }]);
      expect(posts(conversation)).toEqual([]);
    });

    test('the help command lists the commands and tools, privately', async () => {
      const conversation = await driver.open();

      await conversation.command({ command: 'switchboard', subcommand: 'help' });

      await eventually(() => expect(conversation).toHaveShownPrivately(conversation.user.id, { text: /!run[\s\S]*countdown/ }));
    });
  });
}
