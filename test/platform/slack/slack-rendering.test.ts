/**
 * The Slack renderer and the event translation, without a network: whatever the core asks
 * to show, Slack's own checks (as the fake Slack applies them) would accept it.
 */
import fc from 'fast-check';
import { SLACK_BUDGETS } from '../../../src/adapters/slack/limits';
import { renderCard } from '../../../src/adapters/slack/render-card';
import { renderMessage, renderReplacement } from '../../../src/adapters/slack/render-message';
import { translateEvent } from '../../../src/adapters/slack/translate-event';
import { PlatformError } from '../../../src/core/errors';
import type { Card, CardElement } from '../../../src/core/model/card';
import { blockProblems, checkMessageContent } from '../../fakes/fake-slack';

// size 'max' lets lengths reach maxLength; fast-check's default keeps them small.
const longText = (max: number) => fc.string({ unit: 'grapheme', maxLength: max, size: 'max' });
const element: fc.Arbitrary<CardElement> = fc.oneof(
  fc.record({ type: fc.constant('header' as const), text: longText(400) }),
  fc.record({ type: fc.constant('text' as const), text: longText(5000) }),
  fc.record({ type: fc.constant('context' as const), text: longText(4000) }),
  fc.record({ type: fc.constant('divider' as const) }),
  fc.record({ type: fc.constant('fields' as const), fields: fc.array(fc.record({ label: longText(50), value: longText(2500) }), { maxLength: 14, size: 'max' }) }),
);
const buttons: fc.Arbitrary<CardElement> = fc.record({
  type: fc.constant('actions' as const),
  buttons: fc.array(
    fc.record({ actionId: fc.constantFrom('switchboard.approve', 'switchboard.deny'), value: fc.uuid(), label: longText(120) }),
    { minLength: 1, maxLength: 3 },
  ),
});
const anyCard: fc.Arbitrary<Card> = fc
  .tuple(fc.array(element, { maxLength: 80, size: 'max' }), buttons)
  .map(([elements, actions]) => ({ accent: 'info' as const, elements: [...elements, actions] }));

/** All the text a set of blocks carries, as Slack counts it against msg_blocks_too_long. */
const blockChars = (blocks: unknown[]) => JSON.stringify(blocks).length;

/** The characters of every text object in some blocks. */
function textChars(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + textChars(v), 0);
  if (!value || typeof value !== 'object') return 0;
  const { text, ...rest } = value as Record<string, unknown>;
  return (typeof text === 'string' ? text.length : textChars(text)) + textChars(Object.values(rest));
}

describe('the Slack card renderer', () => {
  test('any card renders within every Block Kit limit and the card budget, and keeps its buttons last', () => {
    fc.assert(
      fc.property(anyCard, (card) => {
        const message = renderReplacement({ text: 'fallback '.repeat(1000), card });
        expect(blockProblems(message.blocks)).toEqual([]);
        expect(checkMessageContent({ channel: 'C1', ...message })).toBeUndefined();
        expect(message.blocks.at(-1)).toMatchObject({ type: 'actions' });
        // The budget, plus at most one "too long" note.
        expect(textChars(message.blocks)).toBeLessThanOrEqual(SLACK_BUDGETS.cardChars + 60);
      }),
      { numRuns: 25, endOnFailure: true },
    );
  });

  test('a card far over budget is cut with a visible note instead of being refused', () => {
    const huge: Card = {
      accent: 'warning',
      elements: [
        ...Array.from({ length: 30 }, (): CardElement => ({ type: 'text', text: 'x'.repeat(2900) })),
        { type: 'actions', buttons: [{ actionId: 'switchboard.approve', value: 'id-1', label: 'Approve' }] },
      ],
    };

    const blocks = renderCard(huge);

    expect(blockChars(blocks)).toBeLessThan(13_000);
    expect(JSON.stringify(blocks)).toContain('too long to show here');
    expect(blocks.at(-1)).toMatchObject({ type: 'actions', elements: [{ action_id: 'switchboard.approve', value: 'id-1' }] });
  });

  test('a button value Slack could not carry is a PlatformError before any call, not a cut id', () => {
    const card: Card = { accent: 'info', elements: [{ type: 'actions', buttons: [{ actionId: 'switchboard.approve', value: 'v'.repeat(2001), label: 'Approve' }] }] };

    expect(() => renderCard(card)).toThrow(PlatformError);
  });

  test('text from users or the model cannot ping a channel or hide a link', () => {
    const message = renderMessage({ text: 'hey <!channel> see <http://evil.example|your bank> & more' });

    expect(message.text).toBe('hey &lt;!channel&gt; see &lt;http://evil.example|your bank&gt; &amp; more');
  });
});

describe('answers with feedback buttons', () => {
  // Markup-heavy text grows when escaped (`&` becomes `&amp;`): the sections must still fit.
  const answerText = fc.oneof(longText(4000), fc.string({ unit: fc.constantFrom('&', '<', '>', 'a', ' ', '\n'), maxLength: 4000, size: 'max' }));

  test('any answer that fits one message renders within Block Kit limits, shows its whole text, and carries the buttons', () => {
    fc.assert(
      fc.property(answerText, (text) => {
        const last = renderMessage({ text, feedback: { messageId: '8f2a8c1e-9d7b-4f5e-a2b3-c4d5e6f70819' } });
        expect(checkMessageContent({ channel: 'C1', ...last })).toBeUndefined();
        expect(last.blocks!.at(-1)).toMatchObject({ type: 'context_actions', elements: [{ type: 'feedback_buttons' }] });
        const shown = last.blocks!.slice(0, -1).map((b) => (b as { text: { text: string } }).text.text);
        expect(shown.join('').replace(/\s/g, '')).toBe(last.text.replace(/\s/g, ''));
      }),
      { numRuns: 25, endOnFailure: true },
    );
  });

  test("a context_actions block the fake Slack would refuse is refused: Slack's rules, not a lenient fake", () => {
    const block = (element: Record<string, unknown>) => [{ type: 'context_actions', elements: [element] }];
    const side = { text: { type: 'plain_text', text: 'Good' }, value: 'v' };

    expect(blockProblems(block({ type: 'feedback_buttons', action_id: 'a', positive_button: side, negative_button: side }))).toEqual([]);
    expect(blockProblems(block({ type: 'feedback_buttons', positive_button: side }))).toEqual(['blocks[0].elements[0].negative_button is missing']);
    expect(blockProblems(block({ type: 'feedback_buttons', positive_button: { ...side, value: 'v'.repeat(2001) }, negative_button: side }))).toEqual([
      'blocks[0].elements[0].positive_button.value is 2001 chars > 2000',
    ]);
    expect(blockProblems(block({ type: 'button', text: side.text, value: 'v' }))).toEqual(['blocks[0].elements[0].type button is not allowed in context_actions']);
    expect(blockProblems([{ type: 'context_actions', elements: [] }])).toEqual(['blocks[0].elements is missing or empty']);
  });
});

describe('translating Slack events', () => {
  const ids = { team: 'T1', botUserId: 'U_BOT' };
  const event = (fields: Record<string, unknown>) => ({ type: 'message', channel: 'C1', user: 'U1', ts: '1.1', ...fields });

  test.each([
    ['a mention with a label', { type: 'app_mention', text: 'hi <@U_BOT|switchboard> please' }, 'hi please'],
    ['a link Slack wrapped', { channel_type: 'im', text: 'fetch <https://example.com/a?b=1&amp;c=2|example.com/a>' }, 'fetch https://example.com/a?b=1&c=2'],
    ['escaped entities', { channel_type: 'im', text: '!run countdown {"steps":1} &lt;3 &amp; more' }, '!run countdown {"steps":1} <3 & more'],
  ])('%s reaches the core as the person typed it', (_name, fields, text) => {
    expect(translateEvent(event(fields), ids)).toMatchObject({ kind: 'message', text });
  });

  test.each([
    ['a thread broadcast', { subtype: 'thread_broadcast', thread_ts: '1.0', text: 'also in channel' }, { onlyKnownThread: true }],
    ['a direct message in a thread', { channel_type: 'im', thread_ts: '1.0', text: 'hi' }, {}],
  ])('%s is a turn, with the right thread rule', (_name, fields, options) => {
    expect(translateEvent(event(fields), ids)).toMatchObject({ kind: 'message', where: { thread: '1.0' }, options });
  });

  test.each([
    ['a message mentioning the bot (its app_mention is the turn)', { text: '<@U_BOT> hi' }],
    ['a top-level channel message without a mention', { text: 'just chatting' }],
    ['a channel join', { subtype: 'channel_join', text: 'joined' }],
    ['a message without a user', { user: undefined, text: 'system' }],
  ])('%s is ignored', (_name, fields) => {
    expect(translateEvent(event(fields), ids)).toMatchObject({ kind: 'ignore' });
  });
});
