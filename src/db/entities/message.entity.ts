import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { MESSAGE_ROLES, MESSAGE_TYPES, TURN_STATES } from '../../core/model/message';
import { ConversationEntity } from './conversation.entity';

/**
 * Every message, inbound and outbound, typed by `messageType` with JSONB metadata: the log of
 * what was said and shown. A person's message is a turn (`turnState`) until it is answered;
 * the claim time tells a crashed process's turns from live ones. Runs, requests and calls keep
 * their state in their own tables; their cards, progress and results are messages here.
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
    role: p.enum([...MESSAGE_ROLES]),
    messageType: p.enum([...MESSAGE_TYPES]),
    text: p.text(),
    metadata: p.json<Record<string, unknown>>().defaultRaw(`'{}'::jsonb`),
    /** A person's message: pending until answered. Null for the bot's own messages. */
    turnState: p.enum([...TURN_STATES]).nullable(),
    /** When a process last claimed the pending turn; a stale claim means that process died. */
    turnClaimedAt: p.datetime().nullable(),
    /** A run's progress and result messages point at their run. */
    runId: p.uuid().nullable(),
    /** An approval card points at its request. */
    requestId: p.uuid().nullable(),
    /** A person's message: the trace id every log line of its turn carries, kept for whichever process answers it. */
    traceId: p.text().nullable(),
    createdAt: p.datetime().defaultRaw('now()'),
  }),
  uniques: [
    { name: 'message_conversation_platform_message_unique', properties: ['conversation', 'platformMessageId'] },
    // One progress and one result message per run: a redelivered step cannot post twice.
    { name: 'message_run_type_unique', properties: ['runId', 'messageType'] },
    { name: 'message_request_unique', properties: ['requestId'] },
  ],
  indexes: [
    { name: 'message_thread_recent_index', properties: ['conversation', 'threadRef', 'createdAt'] },
    { name: 'message_pending_turn_index', expression: `create index "message_pending_turn_index" on "message" ("turn_claimed_at") where "turn_state" = 'pending'` },
  ],
});

export type Message = InferEntity<typeof MessageEntity>;
