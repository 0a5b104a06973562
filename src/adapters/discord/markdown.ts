/** Code blocks and inline code, which Discord shows verbatim. */
const CODE = /(```[\s\S]*?```|`[^`\n]*`)/;
/** Slack-style `*bold*` (one asterisk each side, not part of `**`). */
const SINGLE_STAR_BOLD = /(?<![*\w])\*(?=\S)([^*\n]*?\S)\*(?![*\w])/g;

/**
 * The core writes Slack-style mrkdwn (`*bold*`, `_italic_`, `` `code` ``); Discord reads
 * `*x*` as italic, so single-asterisk bold becomes `**x**` outside code. Everything else
 * already means the same on Discord. Pings are not a formatting concern: every message
 * goes out with `allowed_mentions` limited (see render-message.ts).
 */
export function toDiscordMarkdown(text: string): string {
  return text
    .split(CODE)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(SINGLE_STAR_BOLD, '**$1**')))
    .join('');
}
