import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { MESSAGE_TYPES, REQUEST_STATUSES } from '../../core/model/message';
import { ConversationEntity } from './conversation.entity';

/**
 * Every message, inbound and outbound, typed by `messageType` with JSONB metadata.
 * Agent requests also carry `requestStatus` and `expiresAt` as real columns, so that
 * deciding is one conditional UPDATE and the expiry sweep uses an index.
 */
export const MessageEntity = defineEntity({
  name: 'Message',
  tableName: 'message',
  properties: (p) => ({
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    conversation: p.manyToOne(ConversationEntity).deleteRule('cascade'),
    threadRef: p.text(),
    platformMessageId: p.text().nullable(),
    authorId: p.text(),
    authorName: p.text(),
    role: p.enum(['user', 'assistant']),
    messageType: p.enum([...MESSAGE_TYPES]),
    text: p.text(),
    metadata: p.json<Record<string, unknown>>().defaultRaw(`'{}'::jsonb`),
    requestStatus: p.enum([...REQUEST_STATUSES]).nullable(),
    expiresAt: p.datetime().nullable(),
    planHash: p.text().nullable(),
    /** How many times a worker has started this request's run; a reclaim after a crash bumps it. */
    runAttempt: p.integer().nullable(),
    /** The running worker's last sign of life; a stale one means the worker died. */
    heartbeatAt: p.datetime().nullable(),
    /** Progress and result messages point at the request they belong to. */
    requestId: p.uuid().nullable().index(),
    createdAt: p.datetime().defaultRaw('now()'),
  }),
  uniques: [
    { name: 'message_conversation_platform_message_unique', properties: ['conversation', 'platformMessageId'] },
    // One progress and one result message per request: a redelivered job cannot post twice.
    { name: 'message_request_type_unique', properties: ['requestId', 'messageType'] },
  ],
  indexes: [
    { name: 'message_thread_recent_index', properties: ['conversation', 'threadRef', 'createdAt'] },
    { name: 'message_request_status_expiry_index', properties: ['requestStatus', 'expiresAt'] },
  ],
});

export type Message = InferEntity<typeof MessageEntity>;
