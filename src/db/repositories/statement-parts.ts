/**
 * The parts hot statements share: each table's columns, the status literals, and the
 * conversation a row lives in (found or created in the same statement as the write).
 */
import { REQUEST_STATUSES } from '../../core/model/agent-request';
import { RUN_STATUSES } from '../../core/model/agent-run';
import type { ConversationRef, Platform } from '../../core/model/conversation';
import { MESSAGE_ROLES, MESSAGE_TYPES, TURN_STATES, type MessageRole, type MessageType, type NewMessage } from '../../core/model/message';
import { CALL_STATUSES } from '../../core/model/tool-call';
import {
  AgentRequestEntity,
  AgentRunEntity,
  AgentTurnEntity,
  AssistantThreadEntity,
  ConversationContextEntity,
  ConversationEntity,
  MessageEntity,
  ToolCallEntity,
} from '../entities';
import { sql, type Param, type Placeholders, type SqlFragment, type SqlText } from '../hot-statement';
import { columnsOf, literalsOf } from '../schema-names';
import { jsonParam } from '../sql-values';
import { validateMetadata } from './validate-metadata';

/** `conversation`'s columns. */
export const CONVERSATION = columnsOf(ConversationEntity);
/** `message`'s columns. */
export const MESSAGE = columnsOf(MessageEntity);
/** `conversation_context`'s columns. */
export const CONTEXT = columnsOf(ConversationContextEntity);
/** `assistant_thread`'s columns. */
export const THREAD = columnsOf(AssistantThreadEntity);
/** `agent_run`'s columns. */
export const RUN = columnsOf(AgentRunEntity);
/** `agent_turn`'s columns. */
export const TURN = columnsOf(AgentTurnEntity);
/** `tool_call`'s columns. */
export const CALL = columnsOf(ToolCallEntity);
/** `agent_request`'s columns. */
export const REQUEST = columnsOf(AgentRequestEntity);

/** A run status as a literal: `runStatus('running')`. */
export const runStatus = literalsOf(RUN_STATUSES);
/** A call status as a literal. */
export const callStatus = literalsOf(CALL_STATUSES);
/** A request status as a literal. */
export const requestStatus = literalsOf(REQUEST_STATUSES);
/** A turn state as a literal. */
export const turnState = literalsOf(TURN_STATES);
/** A message type as a literal. */
export const messageType = literalsOf(MESSAGE_TYPES);
/** A message role as a literal. */
export const messageRole = literalsOf(MESSAGE_ROLES);

/** The parameters that name a conversation. */
export interface PlaceParams {
  readonly platform: Platform;
  readonly workspace: string;
  readonly channel: string;
}

/** The parameters of conversation `c`. */
export const placeParams = (c: ConversationRef): PlaceParams => ({ platform: c.platform, workspace: c.workspace, channel: c.channel });

/** A message to store: where, who, what, and its metadata (checked against its type's schema) as jsonb. */
export interface MessageParams extends PlaceParams {
  readonly thread: string;
  readonly platformMessageId: string | null;
  readonly authorId: string;
  readonly authorName: string;
  readonly role: MessageRole;
  readonly type: MessageType;
  readonly text: string;
  readonly metadata: string;
}

/** The parameters of `message`. @throws SystemError `invalid_metadata` when its metadata breaks its type's schema. */
export function messageParams(message: NewMessage): MessageParams {
  const { where } = message;
  return {
    ...placeParams(where),
    thread: where.thread,
    platformMessageId: message.platformMessageId,
    authorId: message.author.id,
    authorName: message.author.name,
    role: message.role,
    type: message.type,
    text: message.text,
    metadata: jsonParam(validateMetadata(message.type, message.metadata)),
  };
}

const C = CONVERSATION;

/** A CTE `conv` that finds or creates the conversation, so that a write and its conversation lookup are one statement. */
export const conversationCte = (p: Placeholders<PlaceParams>): SqlFragment => sql`conv as (
  insert into ${C.$table} (${C.platform}, ${C.workspaceId}, ${C.channelId}) values (${p.platform}, ${p.workspace}, ${p.channel})
  on conflict (${C.platform}, ${C.workspaceId}, ${C.channelId}) do update set ${C.updatedAt} = ${C.$table}.${C.updatedAt}
  returning ${C.id}, ${C.platform}, ${C.workspaceId}, ${C.channelId}
)`;

/** A CTE `conv` that only finds the conversation (no row when unknown). */
export const findConversationCte = (p: Placeholders<PlaceParams>): SqlFragment => sql`conv as (
  select ${C.id}, ${C.platform}, ${C.workspaceId}, ${C.channelId} from ${C.$table}
  where ${C.platform} = ${p.platform} and ${C.workspaceId} = ${p.workspace} and ${C.channelId} = ${p.channel}
)`;

/** The names the mappers read a row's conversation under. */
export const PLACE = { platform: 'place_platform', workspace: 'place_workspace', channel: 'place_channel' } as const;

/** The conversation `alias` joined to a row, under the {@link PLACE} names. */
export const placeColumns = (alias: string): SqlFragment => {
  const a = alias as SqlText;
  return sql`${a}.${C.platform} as ${PLACE.platform as SqlText}, ${a}.${C.workspaceId} as ${PLACE.workspace as SqlText}, ${a}.${C.channelId} as ${PLACE.channel as SqlText}`;
};

/** A duration parameter in milliseconds as an SQL interval. */
export const millis = (ms: Param<number>): SqlFragment => sql`(${ms}::int * interval '1 millisecond')`;
