import { text, type FeedbackMark } from '../../core/model/card';
import type { ThreadRef } from '../../core/model/conversation';
import type { AnswerStream, PostedMessage } from '../../core/ports/chat-platform';
import { PlatformError } from '../../core/errors';
import { MessageChain } from '../../core/text/message-chain';
import { renderFeedbackRow } from './render-feedback';
import { NO_PINGS, renderMessages, type DiscordContent } from './render-message';

/** How the stream reaches Discord: the adapter's own post (a reply in the thread) and channel-message edit. */
export interface DiscordMessageCalls {
  post(body: DiscordContent): Promise<string>;
  edit(messageId: string, body: DiscordContent): Promise<void>;
}

/**
 * An answer on Discord as it is written: one message edited as the text grows (as often as
 * the caller's edit budget allows), continued in a new message at 2,000 characters, split
 * exactly as a posted answer would be.
 */
export function discordAnswerStream(where: ThreadRef, calls: DiscordMessageCalls): AnswerStream {
  /** Set by `finish` for an answer that asks for feedback: its last message then carries 👍/👎. */
  let rating: FeedbackMark | undefined;
  const body = (content: string, last: boolean): DiscordContent => ({
    content,
    embeds: [],
    components: last && rating ? [renderFeedbackRow(rating.messageId)] : [],
    allowed_mentions: NO_PINGS,
  });
  const chain = new MessageChain((answer) => renderMessages(text(answer)).map((rendered) => rendered.content), {
    post: (content, last) => calls.post(body(content, last)),
    edit: (messageId, content, last) => calls.edit(messageId, body(content, last)),
  });
  return {
    show: (textSoFar) => chain.show(textSoFar),
    finish: async (wholeText, feedback): Promise<PostedMessage> => {
      // 👍/👎 go on the last part, as on a posted answer, in the edit that ends the text.
      rating = feedback;
      await chain.show(wholeText, feedback !== undefined);
      const messageId = chain.firstId;
      if (!messageId) throw new PlatformError('nothing_posted', 'a streamed answer showed no Discord message', { where, retryable: false });
      return { where, messageId };
    },
  };
}
