/** How one platform wants a long text split into messages. */
export interface SplitRules {
  /** The longest piece, in UTF-16 units as the platforms count (Slack 4,000 by our budget, Discord 2,000). Keep it at 60 or more. */
  readonly maxChars: number;
  /** The most pieces; past them the text is cut, and the last piece says how much was left out. */
  readonly maxPieces: number;
  /**
   * Whether a word right after an opening fence (```ts) names the code block's language,
   * so a block cut in two is reopened with it. True on Discord, which highlights by it;
   * Slack shows that word as code, so reopening with it would print it twice.
   */
  readonly fenceLanguage: boolean;
}

const FENCE = '```';
/** Room for the `\n```` that closes a code block cut in two. */
const CLOSE_ROOM = FENCE.length + 1;
/** A longer word after a fence is taken for code, not a language: reopening with it could eat a piece. */
const MAX_LANGUAGE = 20;

/**
 * Splits a long text into pieces within `rules`: each ends at a paragraph, line or word
 * break when one falls in its second half, else where it splits neither a surrogate pair
 * nor a run of backticks. A code block cut in two is closed and reopened in the next
 * piece. No piece is blank (both platforms refuse an empty message). The pieces are the
 * text's own slices, each keeping the break it ends on (a renderer may trim), so joined
 * they read as the text, less blank lines at the breaks and plus the added fences.
 */
export function splitText(text: string, rules: SplitRules): string[] {
  const pieces: string[] = [];
  let rest = text;
  let reopen = '';
  while (rest.trim() !== '') {
    const prefix = reopen ? `${reopen}\n` : '';
    if (prefix.length + rest.length <= rules.maxChars) {
      pieces.push(prefix + rest);
      break;
    }
    const last = pieces.length === rules.maxPieces - 1;
    const room = rules.maxChars - prefix.length - CLOSE_ROOM - (last ? omittedNote(rest.length).length : 0);
    const cut = breakPoint(rest, Math.max(2, room));
    let piece = prefix + rest.slice(0, cut);
    rest = rest.slice(cut).replace(/^\s*\n/, '');
    reopen = openFenceAfter(piece, rules.fenceLanguage);
    if (reopen) piece = `${piece.trimEnd()}\n${FENCE}`;
    if (last) {
      pieces.push(rest.trim() === '' ? piece : piece + omittedNote(rest.length));
      break;
    }
    // A run of blank space at a break leaves nothing to show.
    if (piece.trim() !== '') pieces.push(piece);
  }
  return pieces;
}

/** Where to end a piece of at most `room` characters. */
function breakPoint(text: string, room: number): number {
  const window = text.slice(0, room);
  for (const separator of ['\n\n', '\n', ' ']) {
    const at = window.lastIndexOf(separator);
    if (at >= room / 2) return at + separator.length;
  }
  const code = text.charCodeAt(room - 1);
  const cut = code >= 0xd800 && code <= 0xdbff ? room - 1 : room;
  // Cutting a run of backticks would change which fences it holds: cut before the run, or
  // when it fills the piece, between two whole fences of it.
  let start = cut;
  while (start > 0 && text[start - 1] === '`' && text[start] === '`') start--;
  return start > 0 ? start : cut - (cut % FENCE.length) || cut;
}

/** The opening fence (```, or ```ts with `language`) still open at the end of `text`, or ''. */
function openFenceAfter(text: string, language: boolean): string {
  let open = '';
  for (const match of text.matchAll(/```(\w*)/g)) {
    // A word after the fence is its language only when it ends the line; otherwise it is code.
    const word = match[1] ?? '';
    const named = language && word.length <= MAX_LANGUAGE && text[match.index + match[0].length] === '\n';
    open = open ? '' : named ? match[0] : FENCE;
  }
  return open;
}

function omittedNote(chars: number): string {
  return `\n… (${chars} more characters not shown)`;
}
