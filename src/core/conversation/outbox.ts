import type { OutboundMessage } from '../model/card';
import type { ThreadRef } from '../model/conversation';
import type { MessageMetadata, MessageType, StoredMessage } from '../model/message';
import type { PostedMessage } from '../ports/chat-platform';
import type { PlatformDirectory } from '../ports/platforms';
import type { MessageStore } from '../ports/stores';
import type { Logger } from '../../logging/logger';

const BOT = { id: 'switchboard', name: 'Switchboard' };

/**
 * Everything the bot says goes through here: posted on the conversation's platform,
 * then stored as an assistant message with the platform id it got. A failed post is
 * still stored (with no platform id) and logged, then rethrown.
 */
export class Outbox {
  constructor(
    private readonly platforms: PlatformDirectory,
    private readonly messages: MessageStore,
    private readonly log: Logger,
  ) {}

  async say<T extends MessageType>(
    where: ThreadRef,
    message: OutboundMessage,
    type: T,
    metadata: MessageMetadata<T>,
  ): Promise<{ posted: PostedMessage; stored: StoredMessage }> {
    let posted: PostedMessage | null = null;
    let failure: unknown = null;
    try {
      posted = await this.platforms.get(where.platform).post(where, message);
    } catch (error) {
      failure = error;
    }
    const { message: stored } = await this.messages.appendMessage({
      where,
      platformMessageId: posted?.messageId ?? null,
      author: BOT,
      role: 'assistant',
      type,
      text: message.text,
      metadata,
    });
    if (!posted) {
      this.log.warn({ where, type, storedId: stored.id, err: failure }, 'post failed; message stored without a platform id');
      throw failure;
    }
    return { posted, stored };
  }

  /** Replaces a posted message; failures are the caller's to handle. */
  update(posted: PostedMessage, message: OutboundMessage): Promise<void> {
    return this.platforms.get(posted.where.platform).update(posted, message);
  }
}
