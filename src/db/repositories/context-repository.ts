import type { EntityManager } from '@mikro-orm/postgresql';
import type { ContextFact, ContextType, NewContextFact } from '../../core/model/context-fact';
import type { ConversationRef } from '../../core/model/conversation';
import type { ContextStore } from '../../core/ports/stores';
import { ConversationContextEntity } from '../entities';
import { storableJson, storableText } from '../sql-values';
import { conversationIdOf, inConversation, writeTime } from './orm-parts';
import { factsOfRows, toFact } from './row-mappers';
import { inFork } from './unit-of-work';

/** Newest first; the key breaks ties, so a listing reads the same every time. */
const NEWEST_FIRST = { updatedAt: 'desc', contextKey: 'asc' } as const;

/** Conversation context in Postgres, through the ORM; every query is scoped by the conversation's three keys. */
export class ContextRepository implements ContextStore {
  constructor(private readonly em: EntityManager) {}

  async storeContext(conversation: ConversationRef, fact: NewContextFact): Promise<ContextFact> {
    const values = {
      contextType: fact.type,
      contextValue: storableJson(fact.value),
      source: fact.source,
      learnedFrom: fact.learnedFrom === null ? null : storableText(fact.learnedFrom),
      sourceMessage: fact.sourceMessageId,
    };
    return inFork(this.em, async (em) => {
      const conversationId = await conversationIdOf(em, conversation);
      // One row per key: a second fact under it replaces the first; createdAt stays, updatedAt moves.
      const rows: Record<string, unknown>[] = await em
        .createQueryBuilder(ConversationContextEntity)
        .insert({ conversation: conversationId, contextKey: storableText(fact.key), ...values, updatedAt: writeTime() })
        .onConflict(['conversation', 'contextKey'])
        .merge([...(Object.keys(values) as (keyof typeof values)[]), 'updatedAt'])
        .returning('*')
        .execute('all', false);
      return factsOfRows(em, rows)[0]!;
    });
  }

  async retrieveContext(conversation: ConversationRef): Promise<ContextFact[]> {
    const found = await inFork(this.em, (em) => em.find(ConversationContextEntity, inConversation(conversation), { orderBy: NEWEST_FIRST }));
    return found.map((f) => toFact(f));
  }

  async retrieveContextByType(conversation: ConversationRef, type: ContextType): Promise<ContextFact[]> {
    const found = await inFork(this.em, (em) => em.find(ConversationContextEntity, { ...inConversation(conversation), contextType: type }, { orderBy: NEWEST_FIRST }));
    return found.map((f) => toFact(f));
  }

  async forgetContext(conversation: ConversationRef, key: string): Promise<boolean> {
    return (await inFork(this.em, (em) => em.nativeDelete(ConversationContextEntity, { ...inConversation(conversation), contextKey: storableText(key) }))) > 0;
  }

  async clearContext(conversation: ConversationRef): Promise<number> {
    return inFork(this.em, (em) => em.nativeDelete(ConversationContextEntity, inConversation(conversation)));
  }

  async evictOldest(conversation: ConversationRef, keep: number): Promise<number> {
    return inFork(this.em, async (em) => {
      const beyond = await em.find(ConversationContextEntity, inConversation(conversation), { fields: ['id'], orderBy: { updatedAt: 'desc', id: 'asc' }, offset: keep });
      return beyond.length ? em.nativeDelete(ConversationContextEntity, { id: { $in: beyond.map((f) => f.id) } }) : 0;
    });
  }
}
