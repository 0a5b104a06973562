import type { Platform, ThreadRef } from '../../../src/core/model/conversation';
import { metadataSchemas, type MessageMetadata, type NewMessage, type StoredMessage } from '../../../src/core/model/message';
import type { MessageStore, ThreadReading } from '../../../src/core/ports/stores';
import { byCreation, sameConversation, threadKey, type MemoryDatabase } from './memory-database';
import { findByPlatformId, insertMessage, readingOf, toMessage } from './memory-rows';

/** Messages in memory, with the MessageRepository's unique keys and turn claims. */
export class MemoryMessageStore implements MessageStore {
  constructor(private readonly db: MemoryDatabase) {}

  async appendTurn(message: NewMessage<'text'>, historyLimit: number): Promise<{ message: StoredMessage; isNew: boolean; before: ThreadReading }> {
    const before = readingOf(this.db, message.where, historyLimit - 1);
    const inserted = insertMessage(this.db, message);
    const row = inserted ?? findByPlatformId(this.db, message.where, message.platformMessageId!)!;
    return { message: toMessage(row), isNew: inserted !== null, before };
  }

  async readThread(thread: ThreadRef, limit: number): Promise<ThreadReading> {
    return readingOf(this.db, thread, limit);
  }

  async threadExists(thread: ThreadRef): Promise<boolean> {
    return this.db.messagesWhere((m) => m.where.thread === thread.thread && sameConversation(m.where, thread)).length > 0;
  }

  async setAuthorName(messageId: string, name: string): Promise<void> {
    const row = this.db.messages.get(messageId);
    if (row) row.author = { ...row.author, name };
  }

  async setPlatformMessageId(messageId: string, platformMessageId: string): Promise<void> {
    const row = this.db.messages.get(messageId);
    if (row) row.platformMessageId = platformMessageId;
  }

  async updateMessage<T extends 'agent_request' | 'agent_progress' | 'agent_result'>(messageId: string, type: T, text: string, metadata: MessageMetadata<T>, platformMessageId?: string): Promise<void> {
    const valid = metadataSchemas[type].parse(metadata) as Record<string, unknown>;
    const row = this.db.messages.get(messageId);
    if (!row || row.type !== type) return;
    Object.assign(row, { text, metadata: structuredClone(valid) }, platformMessageId && { platformMessageId });
  }

  async appendReply(turnMessageId: string, reply: NewMessage<'text'> & { readonly id: string }): Promise<StoredMessage> {
    await this.answerTurn(turnMessageId);
    const { id, ...message } = reply;
    // A platform id already stored here (a platform that reuses ids) keeps its first row.
    const row = insertMessage(this.db, message, { id }) ?? findByPlatformId(this.db, reply.where, reply.platformMessageId!)!;
    return toMessage(row);
  }

  async answerTurn(turnMessageId: string): Promise<void> {
    const row = this.db.messages.get(turnMessageId);
    if (row?.turnState === 'pending') row.turnState = 'answered';
  }

  async renewTurnClaims(messageIds: readonly string[]): Promise<string[]> {
    const now = this.db.now();
    const stopped: string[] = [];
    for (const id of messageIds) {
      const row = this.db.messages.get(id);
      if (row?.turnState !== 'pending' && row?.turnState !== 'stopped') continue;
      row.turnClaimedAt = now;
      if (row.turnState === 'stopped') stopped.push(id);
    }
    return stopped;
  }

  async turnsInProgress(thread: ThreadRef): Promise<StoredMessage[]> {
    return this.db
      .messagesWhere((m) => m.turnState === 'pending' && threadKey(m.where) === threadKey(thread))
      .sort(byCreation)
      .map(toMessage);
  }

  async stopTurn(messageId: string): Promise<boolean> {
    const row = this.db.messages.get(messageId);
    if (row?.turnState !== 'pending') return false;
    row.turnState = 'stopped';
    return true;
  }

  async claimStaleTurns(leaseMs: number, windowMs: number, limit: number, platforms: readonly Platform[]): Promise<{ claimed: StoredMessage[]; skipped: number }> {
    const now = this.db.now();
    const windowStart = now.getTime() - windowMs;
    const pending = this.db.messagesWhere((m) => m.turnState === 'pending');
    const tooOld = pending.filter((m) => m.createdAt.getTime() < windowStart);
    for (const row of tooOld) row.turnState = 'skipped';
    const due = pending
      .filter((m) => m.createdAt.getTime() >= windowStart && m.turnClaimedAt!.getTime() < now.getTime() - leaseMs && platforms.includes(m.where.platform))
      .sort(byCreation)
      .slice(0, limit);
    for (const row of due) row.turnClaimedAt = now;
    return { claimed: due.map(toMessage), skipped: tooOld.length };
  }
}
