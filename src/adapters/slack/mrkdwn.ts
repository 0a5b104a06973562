import { truncate } from '../../core/text/truncate';

/**
 * Escapes the three characters Slack's mrkdwn parses as markup, so text from users or the
 * model can never become a mention such as `<!channel>` or a disguised link.
 * https://docs.slack.dev/messaging/formatting-message-text#escaping
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes `text` and cuts it to at most `max` characters after escaping, never inside an entity. */
export function fitMrkdwn(text: string, max: number): string {
  let cut = max;
  for (;;) {
    const escaped = escapeMrkdwn(truncate(text, cut));
    if (escaped.length <= max) return escaped;
    cut -= escaped.length - max;
  }
}

/**
 * Turns the text of an incoming Slack message into what the person typed: links lose their
 * angle brackets and labels, and the three escaped entities are decoded. Mentions stay as `<@U…>`.
 * Slack escapes `<` inside a link, so the pattern stops at one: scanning on to the end of the
 * text from every unclosed `<http:` would take seconds on a long message.
 */
export function slackTextToPlain(text: string): string {
  return text
    .replace(/<((?:https?|mailto):[^|<>]+)(?:\|[^<>]*)?>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
