const FENCE = '```';
/** Room kept free in the last chunk for the "more characters not shown" note. */
const NOTE_ROOM = 48;

/**
 * Splits a long text into at most `maxChunks` pieces of at most `chunkChars` characters,
 * preferring paragraph, line and word breaks, and closing and reopening a code block cut in
 * two. A text longer than all chunks together ends with a note saying how much was left out.
 */
export function splitText(text: string, chunkChars: number, maxChunks: number): string[] {
  // Room for a fence closed at the end of a chunk and reopened at the start of the next.
  const room = chunkChars - 2 * (FENCE.length + 1) - NOTE_ROOM;
  const chunks: string[] = [];
  let rest = text;
  let reopen = false;
  while (rest.length > 0 && chunks.length < maxChunks) {
    const cut = rest.length <= room ? rest.length : breakPoint(rest, room);
    let chunk: string = (reopen ? `${FENCE}\n` : '') + rest.slice(0, cut);
    rest = rest.slice(cut).replace(/^\n+/, '');
    reopen = countFences(chunk) % 2 === 1 && rest.length > 0;
    if (reopen) chunk += `\n${FENCE}`;
    chunks.push(chunk);
  }
  if (rest.length > 0) chunks[chunks.length - 1] += `\n… (${rest.length} more characters not shown)`;
  return chunks;
}

/** Where to end a chunk of at most `max` characters: the last paragraph, line or word break in its second half. */
function breakPoint(text: string, max: number): number {
  const window = text.slice(0, max);
  for (const separator of ['\n\n', '\n', ' ']) {
    const at = window.lastIndexOf(separator);
    if (at >= max / 2) return at + separator.length;
  }
  // Never between the two halves of a surrogate pair (an emoji, say).
  return /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
}

function countFences(text: string): number {
  return text.split(FENCE).length - 1;
}
