import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { CONTEXT_TYPES } from '../../core/model/context-fact';
import { ConversationEntity } from './conversation.entity';
import { MessageEntity } from './message.entity';

/** A durable fact about one conversation; one row per (conversation, key). */
export const ConversationContextEntity = defineEntity({
  name: 'ConversationContext',
  tableName: 'conversation_context',
  properties: (p) => ({
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    conversation: p.manyToOne(ConversationEntity).deleteRule('cascade'),
    contextType: p.enum([...CONTEXT_TYPES]),
    contextKey: p.text(),
    contextValue: p.json<unknown>(),
    source: p.enum(['learned', 'manual']).default('learned'),
    learnedFrom: p.text().nullable(),
    sourceMessage: p.manyToOne(MessageEntity).nullable().deleteRule('set null'),
    createdAt: p.datetime().defaultRaw('now()'),
    updatedAt: p.datetime().defaultRaw('now()'),
  }),
  uniques: [{ properties: ['conversation', 'contextKey'] }],
  indexes: [{ properties: ['conversation', 'contextType'] }],
});

export type ConversationContext = InferEntity<typeof ConversationContextEntity>;
