import type { FeedbackMark } from '../../core/model/card';
import type { ThreadRef } from '../../core/model/conversation';
import { answerFile, type OutboundFile } from '../../core/model/outbound-file';
import type { AnswerStream, PostedMessage } from '../../core/ports/chat-platform';
import { renderFeedbackRow } from './render-feedback';
import { NO_PINGS, renderShownPart, type DiscordContent } from './render-message';

/** How the stream reaches Discord: the adapter's own post (a reply in the thread, with a file) and channel-message edit. */
export interface DiscordMessageCalls {
  post(body: DiscordContent, file?: OutboundFile): Promise<string>;
  edit(messageId: string, body: DiscordContent): Promise<void>;
}

/** The line of the message that carries the whole answer of a stream that outgrew its message. */
const WHOLE_ANSWER_LINE = 'The whole answer, as a file:';

/**
 * An answer on Discord as it is written: one message edited as the text grows (as often as
 * the caller's edit budget allows). Past 2,000 characters the message keeps the part shown,
 * ending with a pointer; the end posts the whole answer as a file.
 */
export function discordAnswerStream(where: ThreadRef, calls: DiscordMessageCalls): AnswerStream {
  let shown: { readonly id: string; content: string } | null = null;
  const body = (content: string, feedback?: FeedbackMark): DiscordContent => ({
    content,
    embeds: [],
    components: feedback ? [renderFeedbackRow(feedback.messageId)] : [],
    allowed_mentions: NO_PINGS,
  });
  /** Posts the message, or edits it when what it shows changed (`force`: its buttons did). */
  const showContent = async (content: string, feedback?: FeedbackMark, force = false): Promise<string> => {
    if (!shown) shown = { id: await calls.post(body(content, feedback)), content };
    else if (force || shown.content !== content) {
      await calls.edit(shown.id, body(content, feedback));
      shown.content = content;
    }
    return shown.id;
  };
  return {
    show: async (textSoFar) => void (await showContent(renderShownPart(textSoFar).content)),
    finish: async (wholeText, feedback): Promise<PostedMessage> => {
      const { content, outgrown } = renderShownPart(wholeText);
      const messageId = await showContent(content, feedback, feedback !== undefined);
      if (outgrown) await calls.post(body(WHOLE_ANSWER_LINE), answerFile(wholeText));
      return { where, messageId };
    },
  };
}
