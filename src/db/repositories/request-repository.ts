import type { EntityManager } from '@mikro-orm/postgresql';
import type { AgentRequest, DecideOutcome, Decision } from '../../core/model/agent-request';
import type { ConversationRef, Person } from '../../core/model/conversation';
import type { MessageMetadata, RequestStatus } from '../../core/model/message';
import type { RequestNote, RequestStore } from '../../core/ports/stores';
import { CONVERSATION_CTE, FIND_CONVERSATION_CTE, query, jsonParam } from '../sql';
import { isUuid, MESSAGE_COLUMNS, toAgentRequest, type MessageRow } from './message-row';
import { validateMetadata } from './validate-metadata';

const SELECT_REQUEST = `select ${MESSAGE_COLUMNS} from message m join conversation c on c.id = m.conversation_id`;

/**
 * Agent requests, stored as `agent_request` messages. The lifecycle columns
 * (`request_status`, `expires_at`) are the truth; the metadata mirrors them for readers
 * of the message alone, and both change in the same statement.
 */
export class RequestRepository implements RequestStore {
  constructor(private readonly em: EntityManager) {}

  async createRequest(input: Parameters<RequestStore['createRequest']>[0]): Promise<AgentRequest> {
    const metadata: MessageMetadata<'agent_request'> = {
      summary: input.summary,
      actions: [...input.actions],
      destructive: input.destructive,
      status: 'pending',
      requestedBy: input.requestedBy,
      decidedBy: null,
      decidedAt: null,
      expiresAt: input.expiresAt.toISOString(),
    };
    const valid = validateMetadata('agent_request', metadata);
    const { where } = input;
    const rows = await query<MessageRow>(
      this.em,
      `with ${CONVERSATION_CTE},
       m as (
         insert into message (conversation_id, thread_ref, author_id, author_name, role, message_type, text, metadata, request_status, expires_at)
         select conv.id, ?, 'switchboard', 'Switchboard', 'assistant', 'agent_request', ?, ?::jsonb, 'pending', ? from conv
         returning *
       )
       select ${MESSAGE_COLUMNS} from m join conv c on c.id = m.conversation_id`,
      [where.platform, where.workspace, where.channel, where.thread, input.summary, jsonParam(valid), input.expiresAt],
    );
    return toAgentRequest(rows[0]!);
  }

  async getRequest(id: string): Promise<AgentRequest | null> {
    if (!isUuid(id)) return null;
    const rows = await query<MessageRow>(this.em, `${SELECT_REQUEST} where m.id = ? and m.message_type = 'agent_request'`, [id]);
    return rows[0] ? toAgentRequest(rows[0]) : null;
  }

  async decideRequest(id: string, decision: Decision, by: Person, now: Date, planHash: string | null): Promise<DecideOutcome> {
    if (!isUuid(id)) return { won: false, reason: 'not_found', request: null };
    // One conditional UPDATE: only a pending, unexpired request moves, so exactly one
    // of any number of racing callers gets a row back.
    const rows = await query<MessageRow>(
      this.em,
      `with m as (
         update message set
           request_status = ?,
           plan_hash = ?,
           metadata = metadata || jsonb_build_object('status', ?::text, 'decidedBy', ?::jsonb, 'decidedAt', ?::text)
         where id = ? and message_type = 'agent_request' and request_status = 'pending' and expires_at > ?
         returning *
       )
       select ${MESSAGE_COLUMNS} from m join conversation c on c.id = m.conversation_id`,
      [decision, planHash, decision, jsonParam(by), now.toISOString(), id, now],
    );
    if (rows[0]) return { won: true, request: toAgentRequest(rows[0]) };
    const current = await this.getRequest(id);
    if (!current) return { won: false, reason: 'not_found', request: null };
    const expired = current.status === 'expired' || (current.status === 'pending' && current.expiresAt <= now);
    return { won: false, reason: expired ? 'expired' : 'already_decided', request: current };
  }

  async transitionRequest(id: string, from: readonly RequestStatus[], to: RequestStatus, note: RequestNote = {}): Promise<AgentRequest | null> {
    if (!isUuid(id)) return null;
    const rows = await query<MessageRow>(
      this.em,
      `with m as (
         update message set request_status = ?, metadata = metadata || jsonb_build_object('status', ?::text) || ?::jsonb
         where id = ? and message_type = 'agent_request' and request_status = any(?::text[])
         returning *
       )
       select ${MESSAGE_COLUMNS} from m join conversation c on c.id = m.conversation_id`,
      [to, to, jsonParam(note), id, `{${from.join(',')}}`],
    );
    return rows[0] ? toAgentRequest(rows[0]) : null;
  }

  async expireDueRequests(now: Date): Promise<AgentRequest[]> {
    const rows = await query<MessageRow>(
      this.em,
      `with m as (
         update message set request_status = 'expired', metadata = metadata || '{"status":"expired"}'::jsonb
         where message_type = 'agent_request' and request_status = 'pending' and expires_at <= ?
         returning *
       )
       select ${MESSAGE_COLUMNS} from m join conversation c on c.id = m.conversation_id`,
      [now],
    );
    return rows.map(toAgentRequest);
  }

  async recentRequests(conversation: ConversationRef, limit: number): Promise<AgentRequest[]> {
    const rows = await query<MessageRow>(
      this.em,
      `with ${FIND_CONVERSATION_CTE}
       select ${MESSAGE_COLUMNS} from message m join conv c on c.id = m.conversation_id
       where m.message_type = 'agent_request' order by m.created_at desc limit ?`,
      [conversation.platform, conversation.workspace, conversation.channel, limit],
    );
    return rows.map(toAgentRequest);
  }
}
