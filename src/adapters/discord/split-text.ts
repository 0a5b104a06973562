const FENCE = /```(\w*)/g;
/** Room for the `\n```` that closes a code block cut in two. */
const CLOSE_ROOM = 4;

/**
 * Splits a long text into pieces of at most `max` characters, breaking at a paragraph,
 * line or word where one falls in the second half of a piece, and closing a code block
 * cut in two and reopening it (with its language) in the next piece. Beyond `maxChunks`
 * pieces the text is cut, and the last piece says how much was left out.
 */
export function splitText(text: string, max: number, maxChunks: number): string[] {
  const chunks: string[] = [];
  let rest = text;
  let reopen = '';
  while (rest.length > 0) {
    const last = chunks.length === maxChunks - 1;
    const prefix = reopen ? `${reopen}\n` : '';
    if (prefix.length + rest.length <= max) {
      chunks.push(prefix + rest);
      break;
    }
    const note = last ? omittedNote(rest.length) : '';
    const cut = breakPoint(rest, max - prefix.length - CLOSE_ROOM - note.length);
    let chunk = prefix + rest.slice(0, cut).trimEnd();
    rest = rest.slice(cut).replace(/^\s*\n/, '');
    reopen = openFenceAfter(chunk);
    if (reopen) chunk += '\n```';
    if (last) {
      chunks.push(chunk + omittedNote(rest.length));
      break;
    }
    // A run of blank space at the break leaves nothing to show; Discord refuses empty messages.
    if (chunk.trim()) chunks.push(chunk);
  }
  return chunks;
}

/** Where to end a piece of at most `room` characters, never inside a surrogate pair. */
function breakPoint(text: string, room: number): number {
  const window = text.slice(0, room);
  for (const separator of ['\n\n', '\n', ' ']) {
    const at = window.lastIndexOf(separator);
    if (at >= room / 2) return at + separator.length;
  }
  const code = text.charCodeAt(room - 1);
  let cut = code >= 0xd800 && code <= 0xdbff ? room - 1 : room;
  // Cutting a run of backticks would change which fences pair up.
  while (cut > 1 && text[cut - 1] === '`' && text[cut] === '`') cut--;
  return cut;
}

/** The opening fence (e.g. "```ts") still open at the end of `text`, or ''. */
function openFenceAfter(text: string): string {
  let open = '';
  for (const match of text.matchAll(FENCE)) {
    // A word after the fence is its language only when it ends the line; otherwise it is content.
    const endsLine = text[match.index + match[0].length] === '\n';
    open = open ? '' : endsLine ? match[0] : '```';
  }
  return open;
}

function omittedNote(chars: number): string {
  return `\n… (${chars} more characters not shown)`;
}
