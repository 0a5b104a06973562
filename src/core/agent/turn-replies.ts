import { randomUUID } from 'node:crypto';
import type { Logger } from '../../logging/logger';
import { text } from '../model/card';
import { BOT_AUTHOR } from '../model/conversation';
import type { StoredMessage } from '../model/message';
import type { PlatformDirectory } from '../ports/platforms';
import type { MessageStore } from '../ports/stores';

/**
 * The bot's answer to a person's message: posted in the thread, then stored with the
 * platform id it got, marking the turn answered in the same statement. A failed post is
 * still stored (without a platform id, the turn answered: trying again could post twice)
 * and logged, then rethrown. A model's answer asks for feedback: its buttons name the row it
 * is stored as, so that row's id is chosen before posting.
 */
export class TurnReplies {
  constructor(
    private readonly platforms: PlatformDirectory,
    private readonly messages: MessageStore,
    private readonly log: Logger,
  ) {}

  async reply(turn: StoredMessage, body: string, options: { readonly feedback?: boolean } = {}): Promise<StoredMessage> {
    const id = randomUUID();
    const message = options.feedback ? { ...text(body), feedback: { messageId: id } } : text(body);
    let platformMessageId: string | null = null;
    let failure: unknown = null;
    try {
      platformMessageId = (await this.platforms.get(turn.where.platform).post(turn.where, message)).messageId;
    } catch (error) {
      failure = error;
    }
    const metadata = options.feedback ? { feedback: true as const } : {};
    const stored = await this.messages.appendReply(turn.id, { id, where: turn.where, platformMessageId, author: BOT_AUTHOR, role: 'assistant', type: 'text', text: body, metadata });
    if (failure) {
      this.log.warn({ where: turn.where, storedId: stored.id, err: failure }, 'reply not posted; stored without a platform id');
      throw failure;
    }
    return stored;
  }
}
