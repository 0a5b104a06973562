import type { AgentRequest } from '../../core/model/agent-request';
import type { Platform } from '../../core/model/conversation';
import type { MessageMetadata, MessageRole, MessageType, NewMessage, RequestStatus, StoredMessage } from '../../core/model/message';
import { jsonParam } from '../sql';

/** A `message` row joined with its conversation, as the repositories select it. */
export interface MessageRow {
  id: string;
  platform: Platform;
  workspace_id: string;
  channel_id: string;
  thread_ref: string;
  platform_message_id: string | null;
  author_id: string;
  author_name: string;
  role: MessageRole;
  message_type: MessageType;
  text: string;
  metadata: Record<string, unknown>;
  request_status: RequestStatus | null;
  expires_at: Date | null;
  plan_hash: string | null;
  created_at: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `id` can be a message id; lookups by anything else answer "not found" without asking Postgres. */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}

/** The columns every message read selects, with `m` the message and `c` the conversation. */
export const MESSAGE_COLUMNS = `m.id, c.platform, c.workspace_id, c.channel_id, m.thread_ref, m.platform_message_id,
  m.author_id, m.author_name, m.role, m.message_type, m.text, m.metadata, m.request_status,
  m.expires_at, m.plan_hash, m.created_at`;

export function toStoredMessage(row: MessageRow): StoredMessage {
  return {
    id: row.id,
    where: { platform: row.platform, workspace: row.workspace_id, channel: row.channel_id, thread: row.thread_ref },
    platformMessageId: row.platform_message_id,
    author: { id: row.author_id, name: row.author_name },
    role: row.role,
    type: row.message_type,
    text: row.text,
    metadata: row.metadata,
    createdAt: new Date(row.created_at),
  };
}

export function toAgentRequest(row: MessageRow): AgentRequest {
  const meta = row.metadata as MessageMetadata<'agent_request'>;
  return {
    id: row.id,
    where: { platform: row.platform, workspace: row.workspace_id, channel: row.channel_id, thread: row.thread_ref },
    summary: meta.summary,
    actions: meta.actions,
    destructive: meta.destructive,
    status: row.request_status ?? meta.status,
    requestedBy: meta.requestedBy,
    decidedBy: meta.decidedBy,
    decidedAt: meta.decidedAt ? new Date(meta.decidedAt) : null,
    expiresAt: new Date(row.expires_at ?? meta.expiresAt),
    createdAt: new Date(row.created_at),
    cardMessageId: row.platform_message_id,
    planHash: row.plan_hash,
    cancelledBy: meta.cancelledBy ?? null,
  };
}

/**
 * The parameters of a message insert that starts with CONVERSATION_CTE, in column order:
 * platform, workspace, channel, then thread_ref, platform_message_id, author_id,
 * author_name, role, message_type, text, metadata (validated metadata as given).
 */
export function messageInsertParams(message: NewMessage, metadata: Record<string, unknown>): unknown[] {
  const { where } = message;
  return [
    where.platform,
    where.workspace,
    where.channel,
    where.thread,
    message.platformMessageId,
    message.author.id,
    message.author.name,
    message.role,
    message.type,
    message.text,
    jsonParam(metadata),
  ];
}
