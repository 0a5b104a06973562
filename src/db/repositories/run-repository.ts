import type { EntityManager } from '@mikro-orm/postgresql';
import type { AgentRequest } from '../../core/model/agent-request';
import type { NewMessage, RequestStatus, StoredMessage } from '../../core/model/message';
import type { RequestMessageType, RunClaim, RunStore } from '../../core/ports/stores';
import { CONVERSATION_CTE, query, jsonParam } from '../sql';
import { isUuid, MESSAGE_COLUMNS, messageInsertParams, toAgentRequest, toStoredMessage, type MessageRow } from './message-row';
import { validateMetadata } from './validate-metadata';

type ClaimRow = MessageRow & { run_attempt: number };

const CLAIM_COLUMNS = `${MESSAGE_COLUMNS}, m.run_attempt`;

/** `heartbeat_at` older than `?` milliseconds, in database time (all workers share one clock). */
const SILENT = `m.heartbeat_at < now() - (?::int * interval '1 millisecond')`;

/**
 * Runs of agent requests, over the `agent_request` row's `run_attempt` and `heartbeat_at`
 * columns and the request's progress and result rows (unique per request and type). Each
 * method is one SQL statement.
 */
export class RunRepository implements RunStore {
  constructor(private readonly em: EntityManager) {}

  async startRun(id: string): Promise<RunClaim | null> {
    if (!isUuid(id)) return null;
    return this.claim(
      `update message m set request_status = 'running', run_attempt = coalesce(run_attempt, 0) + 1, heartbeat_at = now(),
         metadata = metadata || '{"status":"running"}'::jsonb
       where id = ? and message_type = 'agent_request' and request_status = 'approved'`,
      [id],
    );
  }

  async reclaimRun(id: string, silentForMs: number): Promise<RunClaim | null> {
    if (!isUuid(id)) return null;
    return this.claim(
      `update message m set run_attempt = run_attempt + 1, heartbeat_at = now()
       where id = ? and message_type = 'agent_request' and request_status = 'running' and ${SILENT}`,
      [id, Math.round(silentForMs)],
    );
  }

  async heartbeat(id: string, attempt: number): Promise<RequestStatus | null> {
    const rows = await query<{ request_status: RequestStatus }>(
      this.em,
      `update message set heartbeat_at = now() where id = ? and message_type = 'agent_request' and run_attempt = ? returning request_status`,
      [id, attempt],
    );
    return rows[0]?.request_status ?? null;
  }

  async endRequest(id: string, end: Parameters<RunStore['endRequest']>[1]): Promise<AgentRequest | null> {
    if (!isUuid(id)) return null;
    const metadata = validateMetadata('agent_result', end.result.metadata);
    const attempt = end.attempt ?? null;
    // The request moves and its result row appears together, or neither does: a worker
    // that dies after this statement leaves a finished request with its result to tell.
    const rows = await query<MessageRow>(
      this.em,
      `with m as (
         update message set request_status = ?, metadata = metadata || jsonb_build_object('status', ?::text) || ?::jsonb
         where id = ? and message_type = 'agent_request' and request_status = any(?::text[])
           and (?::int is null or run_attempt = ?::int)
           and not exists (select 1 from message r where r.request_id = ? and r.message_type = 'agent_result')
         returning *
       ),
       r as (
         insert into message (conversation_id, thread_ref, author_id, author_name, role, message_type, text, metadata, request_id)
         select m.conversation_id, m.thread_ref, ?, ?, 'assistant', 'agent_result', ?, ?::jsonb, m.id from m
         on conflict (request_id, message_type) do nothing
         returning request_id
       )
       select ${MESSAGE_COLUMNS} from m join r on r.request_id = m.id join conversation c on c.id = m.conversation_id`,
      [
        end.outcome,
        end.outcome,
        jsonParam(end.note ?? {}),
        id,
        `{${end.from.join(',')}}`,
        attempt,
        attempt,
        id,
        end.result.author.id,
        end.result.author.name,
        end.result.text,
        jsonParam(metadata),
      ],
    );
    return rows[0] ? toAgentRequest(rows[0]) : null;
  }

  async storeRequestMessage<T extends RequestMessageType>(
    requestId: string,
    message: NewMessage<T>,
  ): Promise<{ message: StoredMessage; isNew: boolean }> {
    const metadata = validateMetadata(message.type, message.metadata);
    const rows = await query<MessageRow & { is_new: boolean }>(
      this.em,
      `with ${CONVERSATION_CTE},
       ins as (
         insert into message (conversation_id, thread_ref, platform_message_id, author_id, author_name, role, message_type, text, metadata, request_id)
         select conv.id, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ? from conv
         on conflict (request_id, message_type) do nothing
         returning *
       )
       select ${MESSAGE_COLUMNS}, true as is_new from ins m join conv c on c.id = m.conversation_id`,
      [...messageInsertParams(message, metadata), requestId],
    );
    if (rows[0]) return { message: toStoredMessage(rows[0]), isNew: true };
    // Someone stored it first; a fresh statement sees their row.
    const existing = await this.findRequestMessage(requestId, message.type);
    return { message: existing!, isNew: false };
  }

  async findRequestMessage(requestId: string, type: RequestMessageType): Promise<StoredMessage | null> {
    if (!isUuid(requestId)) return null;
    const rows = await query<MessageRow>(
      this.em,
      `select ${MESSAGE_COLUMNS} from message m join conversation c on c.id = m.conversation_id
       where m.request_id = ? and m.message_type = ?`,
      [requestId, type],
    );
    return rows[0] ? toStoredMessage(rows[0]) : null;
  }

  async stalledRuns(silentForMs: number, limit: number): Promise<AgentRequest[]> {
    // Approved: maybe never enqueued (a crash between deciding and enqueueing). Running or
    // cancelled with a silent worker and no result: its worker died mid-run.
    const rows = await query<MessageRow>(
      this.em,
      `select ${MESSAGE_COLUMNS} from message m join conversation c on c.id = m.conversation_id
       where m.message_type = 'agent_request'
         and (m.request_status = 'approved'
           or (m.request_status in ('running', 'cancelled') and ${SILENT}
               and not exists (select 1 from message r where r.request_id = m.id and r.message_type = 'agent_result')))
       order by m.created_at limit ?`,
      [Math.round(silentForMs), limit],
    );
    return rows.map(toAgentRequest);
  }

  private async claim(update: string, params: unknown[]): Promise<RunClaim | null> {
    const rows = await query<ClaimRow>(
      this.em,
      `with m as (${update} returning m.*)
       select ${CLAIM_COLUMNS} from m join conversation c on c.id = m.conversation_id`,
      params,
    );
    const row = rows[0];
    return row ? { request: toAgentRequest(row), attempt: row.run_attempt } : null;
  }
}
