/**
 * Slack's payloads as the adapter decodes them, fuzzed: events, clicks and slash commands
 * with missing fields, wrong types, huge texts and odd markup end in something typed for
 * the core or in "not for us", never in an exception or a stall.
 */
import fc from 'fast-check';
import type { BlockAction, ButtonAction } from '@slack/bolt';
import { escapeMrkdwn, fitMrkdwn, slackTextToPlain } from '../../../src/adapters/slack/mrkdwn';
import { translateEvent, type SlackMessageEvent } from '../../../src/adapters/slack/translate-event';
import { translateClick, translateCommand } from '../../../src/adapters/slack/translate-interaction';
import type { ThreadRef } from '../../../src/core/model/conversation';
import { expectLinearGrowth } from '../../support/growth';
import { anyJson, chatText, field, repeatTo, SLOW_SCAN_PIECES, withoutUndefined } from '../../support/hostile-input';

const ids = { team: 'T1', botUserId: 'U_BOT' };
const slackId = fc.stringMatching(/^[A-Z][A-Z0-9]{1,10}$/);
const ts = fc.tuple(fc.integer({ min: 1_500_000_000, max: 1_900_000_000 }), fc.integer({ min: 0, max: 999_999 })).map(([s, us]) => `${s}.${String(us).padStart(6, '0')}`);
/** Words that no markup decoding can change. */
const words = fc.array(fc.stringMatching(/^[a-zA-Z0-9.,!?'"-]{1,10}$/), { minLength: 1, maxLength: 8 });

const isWhere = (where: ThreadRef) => [where.workspace, where.channel, where.thread].every((s) => typeof s === 'string');

const anyEvent = fc
  .record({
    type: field(fc.constantFrom('message', 'app_mention')),
    subtype: fc.option(field(fc.constantFrom('thread_broadcast', 'file_share', 'bot_message', 'message_changed', 'channel_join')), { nil: undefined }),
    channel: field(slackId),
    channel_type: fc.option(field(fc.constantFrom('im', 'channel', 'group', 'mpim')), { nil: undefined }),
    user: field(fc.oneof(slackId, fc.constant('U_BOT'))),
    bot_id: fc.option(field(slackId), { nil: undefined }),
    text: field(chatText()),
    ts: field(ts),
    thread_ts: fc.option(field(ts), { nil: undefined }),
  })
  .map((event) => withoutUndefined(event) as unknown as SlackMessageEvent);

describe('decoding Slack events', () => {
  test('any event, however broken, becomes a message with text fields for the core or a reason to ignore it', () => {
    fc.assert(
      fc.property(anyEvent, (event) => {
        const translated = translateEvent(event, ids);
        if (translated.kind === 'ignore') {
          expect(typeof translated.why).toBe('string');
          return;
        }
        expect(isWhere(translated.where)).toBe(true);
        expect([translated.messageId, translated.userId, translated.text].every((s) => typeof s === 'string')).toBe(true);
        expect(translated.text).toBe(translated.text.trim());
      }),
      { numRuns: 500 },
    );
  });

  test("a person's direct message reaches the core with its own ts and thread, whatever it says", () => {
    fc.assert(
      fc.property(slackId, chatText(), ts, fc.option(ts, { nil: undefined }), (user, text, messageTs, threadTs) => {
        const event = withoutUndefined({ type: 'message', channel: 'D1', channel_type: 'im', user, text, ts: messageTs, thread_ts: threadTs });
        const translated = translateEvent(event as SlackMessageEvent, ids);
        expect(translated).toMatchObject({ kind: 'message', messageId: messageTs, userId: user, where: { channel: 'D1', thread: threadTs ?? messageTs } });
      }),
    );
  });

  test('the bot’s own mention disappears wherever it sits, and the words around it stay as typed', () => {
    const mention = fc.constantFrom('<@U_BOT>', '<@U_BOT|switchboard>', '  <@U_BOT>', '\n<@U_BOT|sb>\n');
    const piece = fc.oneof(words.map((w) => ({ word: w.join(' ') })), mention.map((m) => ({ mention: m })));
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 12 }), fc.constantFrom('', ' ', '\n'), (pieces, gap) => {
        // Words need a space between them; a mention may touch what is next to it.
        const text = pieces.map((p, i) => (i === 0 ? '' : 'word' in p && 'word' in pieces[i - 1]! ? ' ' : gap) + ('word' in p ? p.word : p.mention)).join('');
        const typed = pieces.flatMap((p) => ('word' in p ? p.word.split(' ') : []));
        const translated = translateEvent({ type: 'app_mention', channel: 'C1', user: 'U1', text, ts: '1.1' }, ids);
        expect(translated.kind === 'message' && translated.text.split(/\s+/).filter(Boolean)).toEqual(typed);
      }),
    );
  });

  // The mention pattern once rescanned to the end of the text from every unclosed `<@U_BOT|`:
  // 4 ms at 5,000 characters, 305 ms at 40,000. Spaces and unclosed links did the same before.
  test.each(SLOW_SCAN_PIECES)('a long message made of %j repeated takes time in proportion to its length', (piece) => {
    const event = (length: number) => ({ type: 'message', channel: 'D1', channel_type: 'im', user: 'U1', text: `${repeatTo(piece, length)}x`, ts: '1.1' });
    expectLinearGrowth(event, (e) => translateEvent(e, ids));
  });
});

const container = fc.record({
  type: field(fc.constantFrom('message', 'ephemeral')),
  channel_id: field(slackId),
  message_ts: field(ts),
  thread_ts: fc.option(field(ts), { nil: undefined }),
  is_ephemeral: fc.option(field(fc.boolean()), { nil: undefined }),
});
const anyClick = fc
  .record({
    channel: fc.option(field(fc.record({ id: field(slackId) })), { nil: undefined }),
    message: fc.option(field(fc.record({ ts: field(ts), thread_ts: fc.option(field(ts), { nil: undefined }) })), { nil: undefined }),
    container: fc.option(field(container), { nil: undefined }),
    action: fc.record({ action_id: field(fc.constantFrom('switchboard.approve', 'switchboard.deny')), value: fc.option(field(fc.uuid()), { nil: undefined }) }),
  })
  .map(({ action, ...body }) => ({ body: withoutUndefined(body) as unknown as BlockAction, action: withoutUndefined(action) as unknown as ButtonAction }));

describe('decoding Slack button clicks', () => {
  test('any click payload becomes a click with text fields or is refused as not a message button', () => {
    fc.assert(
      fc.property(anyClick, ({ body, action }) => {
        const click = translateClick(body, action, 'T1');
        if (click === null) return;
        const { where, messageId, actionId, value } = click.action;
        expect(isWhere(where) && isWhere(click.replyWhere)).toBe(true);
        expect([messageId, actionId, value].every((s) => typeof s === 'string')).toBe(true);
        expect(typeof click.onEphemeral).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });

  test('a click on a message button carries its action, value and thread to the core unchanged', () => {
    fc.assert(
      fc.property(slackId, ts, fc.option(ts, { nil: undefined }), fc.string(), fc.string(), (channel, messageTs, threadTs, actionId, value) => {
        const body = { channel: { id: channel }, message: withoutUndefined({ ts: messageTs, thread_ts: threadTs }), container: { type: 'message' } };
        const click = translateClick(body as unknown as BlockAction, { action_id: actionId, value } as ButtonAction, 'T1');
        expect(click).toEqual({
          // A click in a DM with the bot (D…) is on its owner's own surface.
          action: { where: { platform: 'slack', workspace: 'T1', channel, thread: threadTs ?? messageTs }, messageId: messageTs, actionId, value, ...(channel.startsWith('D') && { privateSurface: { workspace: 'T1' } }) },
          replyWhere: { platform: 'slack', workspace: 'T1', channel, thread: threadTs ?? '' },
          onEphemeral: false,
        });
      }),
    );
  });
});

/** Form fields as Bolt parses them: a repeated field arrives as an array. */
const formValue = <T>(usual: fc.Arbitrary<T>) => fc.oneof({ weight: 5, arbitrary: usual }, fc.constant(undefined), fc.array(fc.string(), { minLength: 2, maxLength: 3 }), anyJson);
const anyCommand = fc
  .record({
    command: formValue(fc.constantFrom('/context', '/switchboard')),
    text: formValue(chatText()),
    team_id: formValue(slackId),
    channel_id: formValue(slackId),
  })
  .map((c) => withoutUndefined(c) as unknown as Parameters<typeof translateCommand>[0]);

describe('decoding Slack slash commands', () => {
  test('any command payload becomes a named command with trimmed arguments, or is refused as unreadable', () => {
    fc.assert(
      fc.property(anyCommand, (payload) => {
        const command = translateCommand(payload);
        if (command === null) return;
        expect(isWhere(command.where)).toBe(true);
        expect(command.name).toMatch(/^[^\sA-Z]+$/);
        expect(command.args).toBe(command.args.trim());
      }),
      { numRuns: 500 },
    );
  });

  test('/switchboard takes its first word as the command, with or without "!", and the rest as arguments', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,15}$/), fc.boolean(), words, (name, bang, rest) => {
        const text = `  ${bang ? '!' : ''}${name}   ${rest.join(' ')} `;
        expect(translateCommand({ command: '/switchboard', text, team_id: 'T1', channel_id: 'C1' })).toMatchObject({ name: name.toLowerCase(), args: rest.join(' ') });
      }),
    );
  });
});

// Found by the properties above: each threw a TypeError or handed the core a field that was not text.
describe('payloads with a field of the wrong kind', () => {
  test('an event without a channel is ignored', () => {
    const event = { type: 'message', channel_type: 'im', user: 'A0', text: '', ts: '1500000000.000000' } as unknown as SlackMessageEvent;
    expect(translateEvent(event, ids)).toEqual({ kind: 'ignore', why: 'malformed event' });
  });

  test('a click without a channel, message or container is not a message button', () => {
    expect(translateClick({} as BlockAction, { action_id: 'switchboard.approve' } as ButtonAction, 'T1')).toBeNull();
  });

  test('a command named like an Object.prototype key is read as a command name, not as a fixed one', () => {
    expect(translateCommand({ command: 'valueOf', text: 'help', team_id: 'T1', channel_id: 'C1' })).toMatchObject({ name: 'help', args: '' });
  });

  test('a slash command whose team came as a list is unreadable', () => {
    expect(translateCommand({ command: '/context', text: '', team_id: [] as unknown as string, channel_id: 'AA' })).toBeNull();
  });
});

describe('Slack mrkdwn in and out', () => {
  test('any text escaped for Slack decodes back to exactly itself', () => {
    fc.assert(
      fc.property(chatText(), (text) => {
        expect(slackTextToPlain(escapeMrkdwn(text))).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  test('escaped text has no angle brackets and every ampersand starts an entity, so nothing can become a mention or a link', () => {
    fc.assert(
      fc.property(chatText(), (text) => {
        const escaped = escapeMrkdwn(text);
        expect(escaped).not.toMatch(/[<>]/);
        expect(escaped).not.toMatch(/&(?!amp;|lt;|gt;)/);
      }),
      { numRuns: 500 },
    );
  });

  test('text fitted to a limit stays within it and never ends in half an entity', () => {
    fc.assert(
      fc.property(chatText(80), fc.integer({ min: 1, max: 200 }), (text, max) => {
        const fitted = fitMrkdwn(text, max);
        expect(fitted.length).toBeLessThanOrEqual(max);
        expect(fitted).not.toMatch(/&[a-z]{0,3}(?:…)?$/);
        if (fitted === escapeMrkdwn(text)) return;
        expect(fitted.endsWith('…')).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  test('a link Slack wrapped reaches the core as its bare address, whatever its label', () => {
    const address = fc.webUrl().filter((url) => !/[|<>&]/.test(url));
    fc.assert(
      fc.property(address, chatText(6).map((label) => label.replace(/[<>]/g, '')), (url, label) => {
        expect(slackTextToPlain(`see <${url}|${label}> now`)).toBe(`see ${url} now`);
      }),
    );
  });
});
