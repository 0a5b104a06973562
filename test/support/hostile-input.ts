/**
 * fast-check arbitraries for input nobody vouches for: chat text with markup in every odd
 * place, and JSON values of any shape where a payload field should be. Shared by the fuzz
 * tests under test/unit/fuzz and test/platform/fuzz.
 */
import fc from 'fast-check';

/** Slack's and Discord's markup, whole and broken: mentions, specials, links, entities. */
const MARKUP = [
  '<@U1>', '<@U1|alice>', '<@U_BOT>', '<@U_BOT|switchboard>', '<@!123>', '<@123>', '<#C1|general>', '<!channel>', '<!here>',
  '<!subteam^S1|@ops>', '<http://x|y>', '<https://example.com/a?b=1&amp;c=2|example>', '<mailto:a@b.c|mail>', '<http:', '<http://x|',
  '&lt;', '&gt;', '&amp;', '&amp;lt;', '&', '<', '>', '|', '<@', '<!', '``` ', '*', '_', '~', ':', '\n', ' ', '\t', '\u0000', '\u200b',
  '\uD83D', '\uDE00', '😀', '👩‍👩‍👧', 'é', 'ﷺ', '\u202e',
];

/** Any text, including lone surrogates and control characters, with chat markup mixed in. */
export const chatText = (maxPieces = 40): fc.Arbitrary<string> =>
  fc
    .array(fc.oneof(fc.constantFrom(...MARKUP), fc.string({ unit: 'grapheme', maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 6 })), {
      maxLength: maxPieces,
    })
    .map((pieces) => pieces.join(''));

/**
 * Pieces that, repeated to the length of a long chat message, make runs that are slow to
 * scan if a pattern backtracks: spaces, unclosed links and mentions, entities, secret words,
 * fences. The decoders are timed on them with test/support/growth.ts.
 */
export const SLOW_SCAN_PIECES = [
  ' ', '\n ', '<http:', '<http://x|', '<@', '<@U_BOT|', '<@!123', 'a ', '&lt;', '😀', 'password=', 'http://', 'bearer ', '```', '`', '*a ',
] as const;

/** `piece` repeated to at least `length` characters. */
export const repeatTo = (piece: string, length: number): string => piece.repeat(Math.ceil(length / piece.length));

/** A JSON value of any shape: what a hostile or buggy sender may put where a string belongs. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: chatText(10) },
  fc.jsonValue({ maxDepth: 2 }),
  fc.constant(null),
  // `toString` that is not a function breaks `${value}`.
  fc.constant({ toString: 1 }),
  fc.array(fc.string(), { maxLength: 3 }),
);

/** A payload field: usually the right kind of value, sometimes missing, sometimes anything at all. */
export const field = <T>(usual: fc.Arbitrary<T>): fc.Arbitrary<T | unknown> =>
  fc.oneof({ weight: 4, arbitrary: usual }, { weight: 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: anyJson });

/** Removes the keys whose value is undefined, as JSON would: a missing field, not a field set to undefined. */
export function withoutUndefined<T extends Record<string, unknown>>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as Partial<T>;
}
