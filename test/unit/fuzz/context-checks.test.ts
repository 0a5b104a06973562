/**
 * The checks a fact passes before it is kept, fuzzed: the secret detector and the context
 * rules answer for any text, quickly, and a refusal never repeats what was refused.
 */
import fc from 'fast-check';
import { checkManualFact, truncateValue } from '../../../src/core/context/context-rules';
import { detectSecret } from '../../../src/core/context/secret-detector';
import { UserInputError } from '../../../src/core/errors';
import { expectLinearGrowth } from '../../support/growth';
import { chatText, SLOW_SCAN_PIECES, repeatTo } from '../../support/hostile-input';

const alnum = (length: number) => fc.string({ unit: fc.constantFrom(...'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ0123456789'), minLength: length, maxLength: length });
/** Texts shaped like the secrets the detector knows, and near misses, with text around them. */
const secretish = fc
  .tuple(
    chatText(4),
    fc.oneof(
      alnum(40).map((s) => `xoxb-${s}`),
      alnum(36).map((s) => `ghp_${s}`),
      alnum(16).map((s) => `AKIA${s.toUpperCase()}`),
      alnum(40).map((s) => `sk-${s}`),
      fc.tuple(alnum(20), alnum(20), alnum(20)).map(([a, b, c]) => `eyJ${a}.eyJ${b}.${c}`),
      alnum(12).map((s) => `password=${s}`),
      alnum(12).map((s) => `the password is ${s}`),
      fc.tuple(alnum(6), alnum(12)).map(([user, pass]) => `https://${user}:${pass}@db.example.com/x`),
      alnum(8).map((s) => `http://10.0.3.${s.length}/admin?token=${s}`),
      alnum(32),
      fc.webUrl({ withQueryParameters: true }),
    ),
    chatText(4),
  )
  .map(([before, secret, after]) => `${before} ${secret} ${after}`);
const anyValue = fc.oneof(secretish, chatText(), fc.string({ unit: 'binary', maxLength: 600 }));

/** Every run of `n` characters of `text`; none when it is shorter (a short run could be in any sentence). */
const windows = (text: string, n: number) => Array.from({ length: Math.max(0, text.length - n + 1) }, (_, i) => text.slice(i, i + n));
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** What Postgres cannot keep in a jsonb string: a NUL, or half a surrogate pair. */
const UNSTORABLE = new RegExp(`\\u0000|${LONE_SURROGATE.source}`);

describe('the secret detector', () => {
  test('answers for any text with the name of a kind of secret, never a piece of the text, or with null', () => {
    const kinds = [
      'private key', 'Slack token', 'GitHub token', 'AWS access key', 'API key', 'JSON web token', 'bearer token', 'password',
      'URL with credentials', 'private URL', 'signed URL', 'random-looking string', null,
    ];
    fc.assert(
      fc.property(anyValue, (text) => {
        expect(kinds).toContain(detectSecret(text));
      }),
      { numRuns: 1000 },
    );
  });

  test('finds the known secret shapes wherever they sit in a text', () => {
    const known = fc.tuple(chatText(4), alnum(40), chatText(4)).map(([before, s, after]) => `${before} xoxp-${s} ${after}`);
    fc.assert(fc.property(known, (text) => expect(detectSecret(text)).toBe('Slack token')));
  });

  test.each(SLOW_SCAN_PIECES)('reads a long text made of %j repeated in time proportional to its length', (piece) => {
    expectLinearGrowth((length) => repeatTo(piece, length), detectSecret);
  });
});

describe('checking a fact someone types', () => {
  test('any key and value are accepted only when storable, within the limit and not secret, else refused with a UserInputError whose message repeats neither', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9_.-]{0,30}$/), anyValue, fc.integer({ min: 10, max: 1000 }), (key, value, maxChars) => {
        let refusal: unknown;
        try {
          checkManualFact(key, value, maxChars);
        } catch (error) {
          refusal = error;
        }
        if (refusal === undefined) {
          expect(key).not.toBe('');
          expect(value.length).toBeLessThanOrEqual(maxChars);
          expect(value).not.toMatch(UNSTORABLE);
          expect(detectSecret(`${key}: ${value}`)).toBeNull();
          return;
        }
        expect(refusal).toBeInstanceOf(UserInputError);
        const { message } = refusal as UserInputError;
        for (const run of windows(value, 12)) expect(message).not.toContain(run);
        if (key.length >= 12) expect(message).not.toContain(key);
      }),
      { numRuns: 1000 },
    );
  });

  test('a value Postgres could not store (a NUL, half an emoji) is refused, not left to fail in the database', () => {
    const broken = fc.tuple(fc.stringMatching(/^[a-z ]{0,20}$/), fc.constantFrom('\u0000', '\uD83D', '\uDE00'), fc.stringMatching(/^[a-z ]{0,20}$/));
    fc.assert(
      fc.property(broken, ([before, bad, after]) => {
        expect(() => checkManualFact('note', `${before}${bad}${after}`, 500)).toThrow(expect.objectContaining({ code: 'context_value_unstorable' }));
      }),
    );
  });
});

describe('shortening a learned value', () => {
  test('any value is cut to the limit, from its start, without splitting a character in two', () => {
    fc.assert(
      fc.property(fc.oneof(chatText(), fc.string({ unit: 'grapheme', maxLength: 700 })), fc.integer({ min: 10, max: 600 }), (value, maxChars) => {
        const short = truncateValue(value, maxChars);
        expect(short.length).toBeLessThanOrEqual(maxChars);
        if (short === value) return;
        expect(short.endsWith('…')).toBe(true);
        expect(value.startsWith(short.slice(0, -1).trimEnd())).toBe(true);
        if (!LONE_SURROGATE.test(value)) expect(short).not.toMatch(LONE_SURROGATE);
      }),
      { numRuns: 1000 },
    );
  });

  // Found by the property above: Postgres refuses jsonb with half a surrogate pair, so the fact was lost.
  test('an emoji on the cut is dropped whole', () => {
    expect(truncateValue(`${'a'.repeat(8)}😀😀`, 10)).toBe(`${'a'.repeat(8)}…`);
  });
});
