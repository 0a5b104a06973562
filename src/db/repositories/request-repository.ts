import type { EntityManager } from '@mikro-orm/postgresql';
import type { AgentRequest, DecideOutcome, Decision } from '../../core/model/agent-request';
import type { Person } from '../../core/model/conversation';
import type { UserRef } from '../../core/model/inbox';
import type { RequestPage, RequestStore } from '../../core/ports/stores';
import type { NewMessage } from '../../core/model/message';
import { MessageEntity } from '../entities';
import { CONVERSATION_CTE, isUuid, jsonParam, PLACE_COLUMNS, placeParams, query, storableText } from '../sql';
import { validateMetadata } from './validate-metadata';
import { requestsOfRows } from './row-mappers';

/** Requests (from a CTE or table named `req`) with their run's place and their calls (from `calls`), as toRequests reads them. */
const SELECT_REQUESTS = (calls: string) => `select req.*, ${PLACE_COLUMNS}, r.thread_ref as run_thread, r.trace_id as run_trace_id,
    coalesce((select jsonb_agg(to_jsonb(k)) from ${calls} k where k.request_id = req.id), '[]'::jsonb) as calls
  from req join agent_run r on r.id = req.run_id join conversation c on c.id = r.conversation_id`;

/** Gates, over `agent_request` and the `tool_call` rows they hold. Each method is one SQL statement. */
export class RequestRepository implements RequestStore {
  constructor(private readonly em: EntityManager) {}

  async getRequest(id: string): Promise<AgentRequest | null> {
    if (!isUuid(id)) return null;
    const rows = await query(this.em, `with req as (select * from agent_request where id = ?) ${SELECT_REQUESTS('tool_call')}`, [id]);
    return requestsOfRows(this.em, rows)[0] ?? null;
  }

  async awaitingDecisionBy(user: UserRef, as: { approver: boolean; fourEyes: boolean }, now: Date, limit: number): Promise<RequestPage> {
    // The approve rule of mayDecide, in SQL: a destructive request needs an approver (not its
    // requester under four eyes); any other, an approver or its requester.
    const mayApprove = `case when q.destructive then ?::boolean and not (?::boolean and q.requested_by_id = ?)
                        else ?::boolean or q.requested_by_id = ? end`;
    return this.page(
      `q.status = 'pending' and q.expires_at > ? and ${mayApprove}`,
      [now, as.approver, as.fourEyes, user.userId, as.approver, user.userId],
      user,
      limit,
    );
  }

  async requestedBy(user: UserRef, limit: number): Promise<RequestPage> {
    return this.page('q.requested_by_id = ?', [user.userId], user, limit);
  }

  /** The newest `limit` requests of the user's workspace matching `condition` (on `q`), with how many match in all. */
  private async page(condition: string, params: unknown[], user: UserRef, limit: number): Promise<RequestPage> {
    const rows = await query(
      this.em,
      `with req as (
         select q.*, count(*) over () as total from agent_request q
         join agent_run qr on qr.id = q.run_id join conversation qc on qc.id = qr.conversation_id
         where qc.platform = ? and qc.workspace_id = ? and ${condition}
         order by q.created_at desc limit ?
       )
       ${SELECT_REQUESTS('tool_call')} order by req.created_at desc`,
      [user.platform, user.workspace, ...params, limit],
    );
    return { requests: requestsOfRows(this.em, rows), total: Number(rows[0]?.total ?? 0) };
  }

  async requestsOfRuns(runIds: readonly string[]): Promise<AgentRequest[]> {
    if (runIds.length === 0) return [];
    const rows = await query(
      this.em,
      `with req as (select * from agent_request where run_id = any(?::uuid[])) ${SELECT_REQUESTS('tool_call')} order by req.created_at`,
      [`{${runIds.join(',')}}`],
    );
    return requestsOfRows(this.em, rows);
  }

  async recordCard(requestId: string, card: NewMessage<'agent_request'>): Promise<void> {
    const metadata = validateMetadata('agent_request', card.metadata);
    const { where } = card;
    await query(
      this.em,
      `with ${CONVERSATION_CTE},
       card as (
         insert into message (conversation_id, thread_ref, platform_message_id, author_id, author_name, role, message_type, text, metadata, request_id)
         select conv.id, ?, ?, ?, ?, 'assistant', 'agent_request', ?, ?::jsonb, ? from conv
         on conflict (request_id) do nothing
       )
       update agent_request set card_platform_id = ? where id = ?`,
      [...placeParams(where), where.thread, card.platformMessageId, card.author.id, card.author.name, card.text, jsonParam(metadata), requestId, card.platformMessageId, requestId],
    );
  }

  async recordCardText(requestId: string, text: string): Promise<void> {
    await this.em.fork().nativeUpdate(MessageEntity, { requestId, messageType: 'agent_request' }, { text: storableText(text) });
  }

  async decideRequest(id: string, decision: Decision, by: Person, at: Parameters<RequestStore['decideRequest']>[3]): Promise<DecideOutcome> {
    if (!isUuid(id)) return { won: false, reason: 'not_found', request: null };
    // One conditional UPDATE decides: only a pending, unexpired request whose plan is still the
    // one shown moves, so exactly one caller wins however many race, on however many processes.
    // Its calls and its run move in the same statement.
    const approved = decision === 'approved';
    const rows = await query(
      this.em,
      `with req as (
         update agent_request set status = ?, decided_by_id = ?, decided_by_name = ?, decided_at = ?, reason = ?
         where id = ? and status = 'pending' and expires_at > ? and plan_hash = ?
         returning *
       ),
       calls as (
         update tool_call set status = ?, result = ?, ended_at = case when ? then null else now() end
         where request_id = (select id from req) and status = 'pending'
         returning *
       ),
       run as (update agent_run set status = 'running' where id = (select run_id from req) and status = 'waiting'),
       card as (update message set text = ? where request_id = (select id from req) and message_type = 'agent_request')
       ${SELECT_REQUESTS('calls')}`,
      [decision, by.id, by.name, at.now, at.reason, id, at.now, at.planHash, approved ? 'ready' : 'denied', approved ? null : at.deniedResult, approved, at.cardText],
    );
    const [won] = requestsOfRows(this.em, rows);
    if (won) return { won: true, request: won };
    const current = await this.getRequest(id);
    if (!current) return { won: false, reason: 'not_found', request: null };
    if (current.status !== 'pending') return { won: false, reason: 'already_decided', request: current };
    if (current.expiresAt <= at.now) return { won: false, reason: 'expired', request: current };
    return { won: false, reason: 'plan_changed', request: current };
  }

  async editRequest(id: string, edits: Parameters<RequestStore['editRequest']>[1], expectedHash: string, planHash: string): Promise<AgentRequest | null> {
    if (!isUuid(id)) return null;
    const rows = await query(
      this.em,
      `with req as (
         update agent_request set plan_hash = ? where id = ? and status = 'pending' and plan_hash = ? returning *
       ),
       edited as (
         update tool_call k set args = x.args from jsonb_to_recordset(?::jsonb) as x("callRecordId" uuid, args jsonb)
         where k.id = x."callRecordId" and k.request_id = (select id from req) and k.status = 'pending'
         returning k.*
       ),
       calls as (
         select * from edited
         union all
         select * from tool_call k where k.request_id = (select id from req) and not exists (select 1 from edited e where e.id = k.id)
       )
       ${SELECT_REQUESTS('calls')}`,
      [planHash, id, expectedHash, jsonParam(edits)],
    );
    return requestsOfRows(this.em, rows)[0] ?? null;
  }

  async expireDueRequests(now: Date): Promise<AgentRequest[]> {
    const rows = await query(
      this.em,
      `with req as (
         update agent_request set status = 'expired' where status = 'pending' and expires_at <= ? returning *
       ),
       calls as (
         update tool_call set status = 'expired', ended_at = now(), result = 'The request expired before anyone decided; it did not run.'
         where request_id in (select id from req) and status = 'pending'
         returning *
       )
       ${SELECT_REQUESTS('calls')}`,
      [now],
    );
    return requestsOfRows(this.em, rows);
  }
}
