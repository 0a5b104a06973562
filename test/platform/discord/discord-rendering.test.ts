import fc from 'fast-check';
import { ButtonStyle } from 'discord.js';
import type { Button, Card, CardElement } from '../../../src/core/model/card';
import { PlatformLimitError } from '../../../src/core/errors';
import { APPROVE_ACTION, DENY_ACTION } from '../../../src/core/model/action-ids';
import { decodeCustomId, encodeCustomId } from '../../../src/adapters/discord/custom-id';
import { toDiscordMarkdown } from '../../../src/adapters/discord/markdown';
import { renderCard } from '../../../src/adapters/discord/render-card';
import { renderMessage, renderReplacement } from '../../../src/adapters/discord/render-message';
import { checkMessageBody } from '../../fakes/discord/limits-checks';

const REQUEST_ID = '0b7c4c5e-8f0a-4a57-9d59-2f4f7f1b2c3d';

describe('rendering cards for Discord', () => {
  // Texts of any length up to past every limit, made of characters that markdown conversion may grow; lengths shrink fast.
  const sized = (max: number, min = 0) =>
    fc.tuple(fc.constantFrom('a', 'word ', '*b* ', 'line\n', 'é'), fc.integer({ min, max })).map(([unit, n]) => unit.repeat(n).slice(0, Math.max(n, min)));
  const longText = sized(7000);
  const label = sized(300, 1);
  const element: fc.Arbitrary<CardElement> = fc.oneof(
    longText.map((t) => ({ type: 'header' as const, text: t || 'h' })),
    longText.map((t) => ({ type: 'text' as const, text: t || 't' })),
    longText.map((t) => ({ type: 'context' as const, text: t || 'c' })),
    fc.constant({ type: 'divider' as const }),
    fc.array(fc.record({ label, value: longText }), { minLength: 1, maxLength: 30 }).map((fields) => ({ type: 'fields' as const, fields })),
  );
  const buttons = fc.uniqueArray(fc.integer({ min: 0, max: 9999 }), { maxLength: 25 }).map(
    (ns): Button[] => ns.map((n) => ({ actionId: APPROVE_ACTION, value: `${REQUEST_ID.slice(0, 30)}${n}`, label: 'x'.repeat(n % 120 || 1) })),
  );
  const card = fc.record({
    accent: fc.constantFrom('neutral', 'info', 'success', 'warning', 'danger') as fc.Arbitrary<Card['accent']>,
    elements: fc.tuple(fc.array(element, { maxLength: 12 }), buttons).map(([els, bs]) => (bs.length ? [...els, { type: 'actions' as const, buttons: bs }] : els)),
  });

  it('fits any card within every limit Discord checks', () => {
    fc.assert(
      fc.property(card, (c) => {
        expect(checkMessageBody(renderReplacement({ text: 'fallback', card: c }), true)).toBeNull();
      }),
      { numRuns: 200 },
    );
  });

  it('renders the approval buttons green and red with the request id in the custom id', () => {
    const { components, embed } = renderCard({
      accent: 'danger',
      elements: [
        { type: 'header', text: 'Destructive request' },
        { type: 'actions', buttons: [
          { actionId: APPROVE_ACTION, value: REQUEST_ID, label: 'Approve', style: 'primary' },
          { actionId: DENY_ACTION, value: REQUEST_ID, label: 'Deny', style: 'danger' },
        ] },
      ],
    });

    expect(embed.color).toBe(0xed4245);
    expect(components[0]?.components.map((b) => [b.style, b.custom_id])).toEqual([
      [ButtonStyle.Success, `${APPROVE_ACTION}:${REQUEST_ID}`],
      [ButtonStyle.Danger, `${DENY_ACTION}:${REQUEST_ID}`],
    ]);
  });

  it('keeps the order of a card: text after fields becomes a field, small print the footer, and says what it left out', () => {
    const fields = Array.from({ length: 30 }, (_, i) => ({ label: `F${i}`, value: 'v' }));
    const { embed } = renderCard({
      accent: 'info',
      elements: [
        { type: 'text', text: '*Action 1*' },
        { type: 'fields', fields },
        { type: 'text', text: '*Action 2*' },
        { type: 'context', text: 'Requested by Alice' },
      ],
    });

    expect(embed.description).toBe('**Action 1**');
    expect(embed.fields).toHaveLength(25);
    expect(embed.fields?.[24]?.value).toBe('… 7 more not shown');
    expect(embed.footer?.text).toBe('Requested by Alice');
  });

  it('refuses buttons that cannot fit: more than five rows, or a custom id over 100 characters', () => {
    const many: Button[] = Array.from({ length: 26 }, (_, i) => ({ actionId: APPROVE_ACTION, value: String(i), label: 'b' }));
    expect(() => renderCard({ accent: 'info', elements: [{ type: 'actions', buttons: many }] })).toThrow(PlatformLimitError);
    expect(() => encodeCustomId({ actionId: APPROVE_ACTION, value: 'x'.repeat(81) })).toThrow(PlatformLimitError);
  });

  it('decodes what it encodes', () => {
    fc.assert(
      fc.property(fc.constantFrom(APPROVE_ACTION, DENY_ACTION), fc.string({ maxLength: 60 }), (actionId, value) => {
        expect(decodeCustomId(encodeCustomId({ actionId, value }))).toEqual({ actionId, value });
      }),
    );
  });

  it('shows an empty answer as an ellipsis, since Discord refuses empty messages', () => {
    expect(renderMessage({ text: '  ' }).content).toBe('…');
  });
});

describe('Slack-style formatting on Discord', () => {
  it.each([
    ['*Commands*:', '**Commands**:'],
    ['use `*x*` literally', 'use `*x*` literally'],
    ['already **bold**', 'already **bold**'],
    ['2 * 3 * 4', '2 * 3 * 4'],
    ['_italic_ stays', '_italic_ stays'],
  ])('renders %j as %j', (input, output) => {
    expect(toDiscordMarkdown(input)).toBe(output);
  });
});
