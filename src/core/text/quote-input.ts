/** Line breaks, control and invisible formatting characters (bidi overrides, zero-width marks). */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu;

/**
 * Something a person typed or a click carried, made safe to repeat back to them: at most
 * `maxChars` characters (default 40) from its start, in double quotes, with `…` inside
 * when cut. Line breaks and control or invisible characters become one space and
 * backticks become `'`, so an echo stays one line and cannot open or close a code block;
 * the platform renderers escape what would make a mention or a link.
 */
export function quoteInput(value: string, maxChars = 40): string {
  // A bounded slice first: the cost stays the same for a 100 KB value.
  const head = [...value.slice(0, maxChars * 4).toWellFormed().replace(UNPRINTABLE, ' ').replace(/`/g, "'")];
  const cut = head.length > maxChars || value.length > maxChars * 4;
  return `"${head.slice(0, maxChars).join('')}${cut ? '…' : ''}"`;
}
