import { randomUUID } from 'node:crypto';
import type { Logger } from '../../logging/logger';
import { text, type FeedbackMark } from '../model/card';
import { BOT_AUTHOR } from '../model/conversation';
import type { MessageMetadata, StoredMessage } from '../model/message';
import type { PostedMessage } from '../ports/chat-platform';
import type { PlatformDirectory } from '../ports/platforms';
import type { MessageStore } from '../ports/stores';
import { toldNotInChannel } from './not-in-channel';

/** How an answer is stored: `feedback` for one of the model's answers (it carries 👍/👎), `metadata` e.g. for a partial one. */
export interface ReplyOptions {
  readonly feedback?: boolean;
  readonly metadata?: MessageMetadata<'text'>;
}

/**
 * The bot's answer to a person's message: posted in the thread (or streamed there), then
 * stored once, whole, with the platform id it got, marking the turn answered in the same
 * statement. A failed post is still stored (without a platform id, the turn answered:
 * trying again could post twice) and logged, then rethrown; in a channel the bot may not post
 * in, the person is told privately instead. A model's answer asks for
 * feedback: its buttons name the row it is stored as, so that row's id is chosen before it is shown.
 */
export class TurnReplies {
  constructor(
    private readonly platforms: PlatformDirectory,
    private readonly messages: MessageStore,
    private readonly log: Logger,
  ) {}

  async reply(turn: StoredMessage, body: string, options: ReplyOptions = {}): Promise<StoredMessage> {
    return this.deliver(turn, body, (feedback) => this.platforms.get(turn.where.platform).post(turn.where, { ...text(body), ...(feedback && { feedback }) }), options);
  }

  /** Stores `body` as the answer once `show` has shown it (posted, or ended a stream), with 👍/👎 naming its row when asked. */
  async deliver(turn: StoredMessage, body: string, show: (feedback?: FeedbackMark) => Promise<PostedMessage>, options: ReplyOptions = {}): Promise<StoredMessage> {
    const id = randomUUID();
    let platformMessageId: string | null = null;
    let failure: unknown = null;
    try {
      platformMessageId = (await show(options.feedback ? { messageId: id } : undefined)).messageId;
    } catch (error) {
      failure = error;
    }
    const metadata = { ...options.metadata, ...(options.feedback && { feedback: true as const }) };
    const stored = await this.messages.appendReply(turn.id, { id, where: turn.where, platformMessageId, author: BOT_AUTHOR, role: 'assistant', type: 'text', text: body, metadata });
    if (failure && !(await toldNotInChannel(this.platforms, turn.where, turn.author.id, failure, this.log))) {
      this.log.warn({ where: turn.where, storedId: stored.id, err: failure }, 'reply not posted; stored without a platform id');
      throw failure;
    }
    return stored;
  }
}
