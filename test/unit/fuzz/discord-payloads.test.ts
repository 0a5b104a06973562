/**
 * What the Discord adapter decodes, fuzzed: gateway messages in every combination of place,
 * reply and mention; button custom ids of any text; slash-command option values of any text.
 * Each ends in something typed for the core, in "not for us", or in a clear error.
 */
import fc from 'fast-check';
import type { Message } from 'discord.js';
import { decodeCustomId, encodeCustomId } from '../../../src/adapters/discord/custom-id';
import { inboundMessage, placeOf } from '../../../src/adapters/discord/inbound-message';
import { DISCORD_LIMITS } from '../../../src/adapters/discord/limits';
import { coreCommandFor } from '../../../src/adapters/discord/slash-commands';
import { normalizeKey } from '../../../src/core/context/context-rules';
import { PlatformLimitError } from '../../../src/core/errors';
import { CONTEXT_TYPES } from '../../../src/core/model/context-fact';
import { expectLinearGrowth } from '../../support/growth';
import { chatText, repeatTo, SLOW_SCAN_PIECES } from '../../support/hostile-input';

const BOT = '1000000000000000001';
const snowflake = fc.bigInt({ min: 10n ** 17n, max: 10n ** 19n }).map(String);
const words = fc.array(fc.stringMatching(/^[a-zA-Z0-9.,!?'"-]{1,10}$/), { minLength: 1, maxLength: 8 });

/** What inboundMessage reads of a discord.js Message, in any combination the gateway can produce. */
const messageSpec = fc.record({
  id: snowflake,
  authorId: fc.oneof(snowflake, fc.constant(BOT)),
  authorIsBot: fc.boolean(),
  system: fc.boolean(),
  guildId: fc.option(snowflake),
  channelId: snowflake,
  thread: fc.option(fc.record({ parentId: fc.option(snowflake) })),
  mentionsBot: fc.boolean(),
  content: chatText(),
  displayName: chatText(4),
  memberName: fc.option(chatText(4), { nil: undefined }),
  reference: fc.option(fc.record({ messageId: fc.option(snowflake, { nil: undefined }), sameChannel: fc.boolean() }), { nil: undefined }),
  replied: fc.option(fc.record({ byBot: fc.boolean(), reference: fc.option(snowflake, { nil: undefined }) }), { nil: undefined }),
});
type Spec = typeof messageSpec extends fc.Arbitrary<infer S> ? S : never;
const anyMessage = messageSpec.map((m) => ({ spec: m, message: fakeMessage(m) }));

/** A stand-in for discord.js's Message with just the surface inboundMessage touches. */
function fakeMessage(m: Spec): Message {
  const repliedMessage = m.replied && { author: { id: m.replied.byBot ? BOT : '2' }, reference: m.replied.reference && { messageId: m.replied.reference } };
  const channel = {
    isThread: () => m.thread !== null,
    parentId: m.thread?.parentId ?? null,
    messages: { cache: new Map(m.reference?.messageId && repliedMessage ? [[m.reference.messageId, repliedMessage]] : []) },
  };
  return {
    id: m.id,
    author: { id: m.authorId, bot: m.authorIsBot, displayName: m.displayName },
    member: m.memberName === undefined ? null : { displayName: m.memberName },
    system: m.system,
    guildId: m.guildId,
    channelId: m.channelId,
    channel,
    content: m.content,
    inGuild: () => m.guildId !== null,
    mentions: { users: new Set(m.mentionsBot ? [BOT] : []) },
    // discord.js gives every message a Collection of attachments: none here.
    attachments: new Map(),
    reference: m.reference && { messageId: m.reference.messageId, channelId: m.reference.sameChannel ? m.channelId : '3' },
  } as unknown as Message;
}

describe('decoding Discord messages', () => {
  test('any message is taken with text fields for the core, or left alone, by the rules of who it is for', () => {
    fc.assert(
      fc.property(anyMessage, ({ spec, message }) => {
        const inbound = inboundMessage(message, BOT);
        const addressed = spec.guildId === null || spec.mentionsBot;
        if (spec.authorIsBot || spec.system) return expect(inbound).toBeNull();
        if (addressed) expect(inbound).toMatchObject({ onlyKnownThread: false });
        if (inbound === null) return expect(addressed || Boolean(spec.thread?.parentId)).toBe(false);
        const { where, messageId, author, text } = inbound.incoming;
        expect([where.workspace, where.channel, where.thread, messageId, author.id, author.name, text].every((s) => typeof s === 'string')).toBe(true);
        expect(text).toBe(text.trim());
        expect(where.workspace).toBe(spec.guildId ?? 'dm');
        if (spec.thread?.parentId) expect(where).toMatchObject({ channel: spec.thread.parentId, thread: spec.channelId });
      }),
      { numRuns: 500 },
    );
  });

  test('the bot’s mention disappears wherever it sits, in both its forms, and the words around it stay as typed', () => {
    const mention = fc.constantFrom(`<@${BOT}>`, `<@!${BOT}>`, ` <@${BOT}> `, `\n<@!${BOT}>`);
    const piece = fc.oneof(words.map((w) => ({ word: w.join(' ') })), mention.map((m) => ({ mention: m })));
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 12 }), (pieces) => {
        const content = pieces.map((p) => ('word' in p ? ` ${p.word} ` : p.mention)).join('');
        const typed = pieces.flatMap((p) => ('word' in p ? p.word.split(' ') : []));
        const message = fakeMessage({
          id: '5', authorId: '2', authorIsBot: false, system: false, guildId: '6', channelId: '7', thread: null,
          mentionsBot: true, content, displayName: 'alice', memberName: undefined, reference: undefined, replied: undefined,
        });
        expect(inboundMessage(message, BOT)?.incoming.text.split(/\s+/).filter(Boolean)).toEqual(typed);
      }),
    );
  });

  test.each(SLOW_SCAN_PIECES)('a long message made of %j repeated takes time in proportion to its length', (piece) => {
    const message = (length: number) =>
      fakeMessage({
        id: '5', authorId: '2', authorIsBot: false, system: false, guildId: null, channelId: '7', thread: null,
        mentionsBot: false, content: `${repeatTo(piece, length)}<@${BOT}`, displayName: 'alice', memberName: undefined, reference: undefined, replied: undefined,
      });
    expectLinearGrowth(message, (m) => inboundMessage(m, BOT));
  });

  test('any place an interaction comes from has a channel, and a thread parent only inside a thread', () => {
    const channel = fc.option(fc.record({ thread: fc.boolean(), parentId: fc.option(fc.option(snowflake), { nil: undefined }) }));
    fc.assert(
      fc.property(fc.option(snowflake), fc.option(snowflake), channel, (guildId, channelId, ch) => {
        const source = { guildId, channelId, channel: ch && { isThread: () => ch.thread, parentId: ch.parentId } };
        const place = placeOf(source);
        expect(typeof place.channelId).toBe('string');
        expect(place.threadParentId).toBe(ch?.thread ? (ch.parentId ?? null) : null);
      }),
    );
  });
});

describe('Discord button custom ids', () => {
  const anyActionId = fc.oneof(fc.constantFrom('switchboard.approve', 'switchboard.context_clear_confirm'), chatText(6));
  const anyValue = fc.oneof(fc.uuid(), fc.string({ unit: 'grapheme', maxLength: 120 }), chatText(10));

  test('any action id and value encode to a custom id Discord accepts that decodes back to them, or are refused with a clear error', () => {
    fc.assert(
      fc.property(anyActionId, anyValue, (actionId, value) => {
        let customId: string;
        try {
          customId = encodeCustomId({ actionId, value });
        } catch (error) {
          expect(error).toBeInstanceOf(PlatformLimitError);
          expect(error).toMatchObject({ code: 'platform_limit', context: { platform: 'discord', limit: 'custom_id', retryable: false }, message: expect.stringContaining(String(DISCORD_LIMITS.customId)) });
          return;
        }
        expect(customId.length).toBeGreaterThanOrEqual(1);
        expect(customId.length).toBeLessThanOrEqual(DISCORD_LIMITS.customId);
        expect(decodeCustomId(customId)).toEqual({ actionId, value });
      }),
      { numRuns: 500 },
    );
  });

  test('any custom id a click carries decodes to an action id and a value, and one of ours encodes back to itself', () => {
    fc.assert(
      fc.property(fc.oneof(chatText(8), fc.string({ maxLength: 100 })), (customId) => {
        const decoded = decodeCustomId(customId);
        expect(typeof decoded.actionId === 'string' && typeof decoded.value === 'string').toBe(true);
        if (customId.indexOf(':') > 0 && customId.length <= DISCORD_LIMITS.customId) expect(encodeCustomId(decoded)).toBe(customId);
      }),
      { numRuns: 500 },
    );
  });
});

describe('Discord slash-command options', () => {
  const optionValue = fc.option(fc.oneof(chatText(6), fc.string({ unit: 'grapheme', maxLength: 40 })));
  const anyOptions = fc.dictionary(fc.constantFrom('type', 'key', 'value', 'id', 'tool', 'args'), optionValue);
  const commandName = fc.oneof(fc.constantFrom('context', 'switchboard'), fc.string({ maxLength: 12 }));
  const subcommand = fc.option(fc.oneof(fc.constantFrom('view', 'forget', 'set', 'clear', 'help', 'run', 'approve', 'deny', 'cancel', 'requests'), fc.string({ maxLength: 8 })));

  test('any command, subcommand and option values become a core command with trimmed arguments, or "not ours"', () => {
    fc.assert(
      fc.property(commandName, subcommand, anyOptions, (name, sub, options) => {
        const command = coreCommandFor(name, sub, (option) => options[option] ?? null);
        if (command === null) return;
        expect(['context', 'help', 'run', 'approve', 'deny', 'cancel', 'requests']).toContain(command.name);
        expect(command.args).toBe(command.args.trim());
      }),
      { numRuns: 500 },
    );
  });

  test('/context set hands the core the type, key and value given, whatever spaces the key has', () => {
    const key = fc.array(fc.stringMatching(/^[a-z0-9]{1,8}$/), { minLength: 1, maxLength: 4 }).map((parts) => ` ${parts.join('  ')} `);
    fc.assert(
      fc.property(fc.constantFrom(...CONTEXT_TYPES), key, words, (type, rawKey, valueWords) => {
        const options: Record<string, string> = { type, key: rawKey, value: valueWords.join(' ') };
        const command = coreCommandFor('context', 'set', (option) => options[option] ?? null);
        // How the core's context command reads `set <type> <key> <value…>`.
        const [sub, givenType, givenKey, ...value] = command!.args.split(/\s+/);
        expect({ sub, givenType, key: normalizeKey(givenKey!), value }).toEqual({ sub: 'set', givenType: type, key: normalizeKey(rawKey), value: valueWords });
      }),
    );
  });

  // Found by the property above: the key's second word used to become the value's first.
  test('a key typed as two words is one key, not a key and the start of the value', () => {
    const options: Record<string, string> = { type: 'domain', key: ' a  a ', value: '!' };
    expect(coreCommandFor('context', 'set', (option) => options[option] ?? null)).toEqual({ name: 'context', args: 'set domain a_a !' });
  });

  // Found by test/platform/fuzz/context-command.test.ts: a blank key let the value's first word become the key.
  test('a blank key keeps its place, so the core refuses it instead of taking the value’s first word as the key', () => {
    const options: Record<string, string> = { type: 'domain', key: ' ', value: 'A A' };
    expect(coreCommandFor('context', 'set', (option) => options[option] ?? null)).toEqual({ name: 'context', args: 'set domain _ A A' });
  });
});
