import type { Logger } from '../../logging/logger';
import { text } from '../model/card';
import { BOT_AUTHOR } from '../model/conversation';
import type { MessageMetadata, StoredMessage } from '../model/message';
import type { PostedMessage } from '../ports/chat-platform';
import type { PlatformDirectory } from '../ports/platforms';
import type { MessageStore } from '../ports/stores';

/**
 * The bot's answer to a person's message: posted in the thread (or streamed there), then
 * stored once, whole, with the platform id it got, marking the turn answered in the same
 * statement. A failed post is still stored (without a platform id, the turn answered:
 * trying again could post twice) and logged, then rethrown.
 */
export class TurnReplies {
  constructor(
    private readonly platforms: PlatformDirectory,
    private readonly messages: MessageStore,
    private readonly log: Logger,
  ) {}

  async reply(turn: StoredMessage, body: string): Promise<StoredMessage> {
    return this.deliver(turn, body, () => this.platforms.get(turn.where.platform).post(turn.where, text(body)));
  }

  /** Stores `body` as the answer once `show` has shown it (posted, or ended a stream); `metadata` marks e.g. a partial answer. */
  async deliver(turn: StoredMessage, body: string, show: () => Promise<PostedMessage>, metadata: MessageMetadata<'text'> = {}): Promise<StoredMessage> {
    let platformMessageId: string | null = null;
    let failure: unknown = null;
    try {
      platformMessageId = (await show()).messageId;
    } catch (error) {
      failure = error;
    }
    const stored = await this.messages.appendReply(turn.id, { where: turn.where, platformMessageId, author: BOT_AUTHOR, role: 'assistant', type: 'text', text: body, metadata });
    if (failure) {
      this.log.warn({ where: turn.where, storedId: stored.id, err: failure }, 'reply not posted; stored without a platform id');
      throw failure;
    }
    return stored;
  }
}
