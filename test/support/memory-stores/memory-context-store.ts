import type { ContextFact, ContextType, NewContextFact } from '../../../src/core/model/context-fact';
import type { ConversationRef } from '../../../src/core/model/conversation';
import type { ContextStore } from '../../../src/core/ports/stores';
import { conversationKey, factKey, type FactRow, type MemoryDatabase } from './memory-database';
import { newestFactFirst, toFact } from './memory-rows';

/** Conversation facts in memory, one per key per conversation. */
export class MemoryContextStore implements ContextStore {
  constructor(private readonly db: MemoryDatabase) {}

  async storeContext(conversation: ConversationRef, fact: NewContextFact): Promise<ContextFact> {
    const key = factKey(conversationKey(conversation), fact.key);
    const now = this.db.now();
    const stored = this.db.facts.get(key);
    // An upsert on (conversation, key): the value and where it came from move, createdAt stays.
    const row: FactRow = {
      seq: stored?.seq ?? this.db.nextSeq(),
      conversation: conversationKey(conversation),
      type: fact.type,
      key: fact.key,
      value: structuredClone(fact.value),
      source: fact.source,
      learnedFrom: fact.learnedFrom,
      sourceMessageId: fact.sourceMessageId,
      createdAt: stored?.createdAt ?? now,
      updatedAt: now,
    };
    this.db.facts.set(key, row);
    return toFact(row);
  }

  async retrieveContext(conversation: ConversationRef): Promise<ContextFact[]> {
    return this.factsOf(conversation).map(toFact);
  }

  async retrieveContextByType(conversation: ConversationRef, type: ContextType): Promise<ContextFact[]> {
    return this.factsOf(conversation)
      .filter((f) => f.type === type)
      .map(toFact);
  }

  async forgetContext(conversation: ConversationRef, key: string): Promise<boolean> {
    return this.db.facts.delete(factKey(conversationKey(conversation), key));
  }

  async clearContext(conversation: ConversationRef): Promise<number> {
    return this.remove(this.factsOf(conversation));
  }

  async evictOldest(conversation: ConversationRef, keep: number): Promise<number> {
    const newestFirst = this.factsOf(conversation).sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime() || b.seq - a.seq);
    return this.remove(newestFirst.slice(keep));
  }

  /** The conversation's facts, newest first. */
  private factsOf(conversation: ConversationRef): FactRow[] {
    const key = conversationKey(conversation);
    return [...this.db.facts.values()].filter((f) => f.conversation === key).sort(newestFactFirst);
  }

  private remove(rows: readonly FactRow[]): number {
    for (const row of rows) this.db.facts.delete(factKey(row.conversation, row.key));
    return rows.length;
  }
}
