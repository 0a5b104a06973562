/**
 * The one text splitter, under each platform's rules: the properties the Slack and the
 * Discord renderers each relied on, and where the rules make them differ.
 */
import fc from 'fast-check';
import { splitText, type SplitRules } from '../../../../src/core/text/split-text';

const fenceCount = (piece: string) => (piece.match(/```/g) ?? []).length;
const codeBlock = (language: string) => `Here:\n\`\`\`${language}\n${Array.from({ length: 400 }, (_, i) => `const value${i} = ${i};`).join('\n')}\n\`\`\`\nDone.`;

/** Slack-like rules: 4,000 characters, 12 pieces, no fence languages. */
const SLACK_SPLIT: SplitRules = { maxChars: 4000, maxPieces: 12, fenceLanguage: false };
/** Discord-like rules: 2,000 characters, 10 pieces, code blocks reopened with their language. */
const DISCORD_SPLIT: SplitRules = { maxChars: 2000, maxPieces: 10, fenceLanguage: true };

describe("splitting with Slack's rules", () => {
  /** Texts up to ~100k characters, with spaces, newlines, emoji and backticks in them. */
  const anyLongText = fc
    .tuple(fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n', '😀', '`'), minLength: 1, maxLength: 200, size: 'max' }), fc.integer({ min: 1, max: 500 }))
    .map(([piece, times]) => piece.repeat(times));

  test('any text becomes at most 12 messages of at most 4,000 characters, none blank, losing nothing that fits', () => {
    fc.assert(
      fc.property(anyLongText, (text) => {
        const chunks = splitText(text, SLACK_SPLIT);
        expect(chunks.length).toBeLessThanOrEqual(SLACK_SPLIT.maxPieces);
        for (const chunk of chunks) {
          expect(chunk.length).toBeLessThanOrEqual(SLACK_SPLIT.maxChars);
          expect(chunk.trim()).not.toBe('');
        }
        const joined = chunks.join('');
        if (!joined.includes('more characters not shown')) {
          const strip = (s: string) => s.replace(/```|\s/g, '');
          expect(strip(joined)).toBe(strip(text));
        }
        expect(joined).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
      }),
      { numRuns: 100, endOnFailure: true },
    );
  });

  test('a code block cut in two is closed and reopened, so both halves still render as code', () => {
    const code = `\`\`\`\n${'const x = 1;\n'.repeat(700)}\`\`\``;

    const chunks = splitText(code, SLACK_SPLIT);

    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(fenceCount(chunk) % 2).toBe(0);
      expect(chunk.startsWith('```')).toBe(true);
    }
  });

  test('a word after the fence is reopened as nothing: Slack would show it as a line of code again', () => {
    const pieces = splitText(codeBlock('ts'), { ...SLACK_SPLIT, maxChars: 2000 });

    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces[1]).toMatch(/^```\nconst/);
  });
});

describe("splitting with Discord's rules", () => {
  const word = fc.stringMatching(/^[a-z]{1,12}$/);
  const text = fc.array(fc.tuple(word, fc.constantFrom(' ', ' ', '\n', '\n\n')), { minLength: 1, maxLength: 900 }).map((parts) => parts.flat().join(''));
  const squash = (s: string) => s.replace(/\s+/g, '');
  const rules = (maxChars: number, maxPieces = 1000) => ({ ...DISCORD_SPLIT, maxChars, maxPieces });

  it('keeps every piece within the limit and loses no word when there is room', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 60, max: 2000 }), (input, max) => {
        const pieces = splitText(input, rules(max));
        expect(pieces.every((p) => p.length <= max && p.trim() !== '')).toBe(true);
        expect(squash(pieces.join(''))).toBe(squash(input));
      }),
    );
  });

  it('breaks between words, never inside one', () => {
    fc.assert(
      fc.property(text, (input) => {
        const words = new Set(input.split(/\s+/));
        for (const piece of splitText(input, rules(100))) for (const w of piece.split(/\s+/).filter(Boolean)) expect(words.has(w)).toBe(true);
      }),
    );
  });

  it('closes a code block cut in two and reopens it with its language', () => {
    const pieces = splitText(codeBlock('ts'), DISCORD_SPLIT);

    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces[0]).toMatch(/\n```$/);
    expect(pieces[1]).toMatch(/^```ts\n/);
    expect(pieces.every((p) => fenceCount(p) % 2 === 0)).toBe(true);
  });

  it('cuts what does not fit in the allowed pieces and says how much was left out', () => {
    const pieces = splitText('word '.repeat(2000), rules(500, 3));

    expect(pieces).toHaveLength(3);
    expect(pieces[2]!.length).toBeLessThanOrEqual(500);
    expect(pieces[2]).toMatch(/… \(\d+ more characters not shown\)$/);
  });
});

describe('splitting under either rules', () => {
  it('never cuts a run of backticks, which would change which fences pair up', () => {
    const text = `${'a'.repeat(1995)}\`\`\`\`\`\`${'b'.repeat(100)}`;

    const [first] = splitText(text, DISCORD_SPLIT);

    expect(first).toBe('a'.repeat(1995));
  });

  it('sends no note and no blank message for blank space past the last piece', () => {
    const pieces = splitText(`${'word '.repeat(100)}${' '.repeat(3000)}`, { ...SLACK_SPLIT, maxChars: 600, maxPieces: 1 });

    expect(pieces.map((p) => p.trim())).toEqual(['word '.repeat(100).trim()]);
  });
});
