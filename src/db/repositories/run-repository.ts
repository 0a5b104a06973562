import type { EntityManager } from '@mikro-orm/postgresql';
import type { AgentRequest } from '../../core/model/agent-request';
import type { AgentRun, RunStatus } from '../../core/model/agent-run';
import type { ConversationRef, Person } from '../../core/model/conversation';
import type { NewMessage, StoredMessage } from '../../core/model/message';
import type { CallEnd, NewModelTurn, NewRequest, RunMessageType, RunStore, RunTranscript, StepClaim } from '../../core/ports/stores';
import { AgentTurnEntity } from '../entities';
import type { AgentTurnRow } from '../entities/agent-turn.entity';
import { CONVERSATION_CTE, FIND_CONVERSATION_CTE, isUuid, jsonParam, MS, PLACE_COLUMNS, placeParams, query } from '../sql';
import { asEntityRows, callsOfRows, messagesOfRows, requestsOfRows, runsOfRows } from './row-mappers';
import { validateMetadata } from './validate-metadata';

/** A run joined with its conversation, from a CTE named `run`. */
const SELECT_RUN = `select run.*, ${PLACE_COLUMNS} from run join conversation c on c.id = run.conversation_id`;

/**
 * A request from a CTE named `req`, with its run's thread and its calls (from CTE `calls`)
 * aggregated, as toRequests reads it. Rows a CTE inserted are invisible to the base tables in
 * the same statement, so the run and conversation come from CTEs too where they are new.
 */
const SELECT_REQUEST = (conversation: 'conv' | 'conversation') => `select req.*, ${PLACE_COLUMNS}, run.thread_ref as run_thread, run.trace_id as run_trace_id,
    coalesce((select jsonb_agg(to_jsonb(k)) from calls k where k.request_id = req.id), '[]'::jsonb) as calls
  from req join run on run.id = req.run_id join ${conversation} c on c.id = run.conversation_id`;

/** The calls of a new turn as one jsonb parameter, unpacked by `jsonb_to_recordset` in the insert. */
function callsParam(turn: NewModelTurn): string {
  return jsonParam(turn.calls.map((c, position) => ({ ...c, position })));
}

/** Inserts a turn's calls for the run in CTE `run`, at seq `seq`, linking gated ones to the request in CTE `req`. */
const INSERT_CALLS = (seq: string) => `insert into tool_call (run_id, turn_seq, position, call_id, tool, args, gate, request_id, status, idempotent, result, ended_at)
  select run.id, ${seq}, x.position, x."callId", x.tool, x.args, x.gate,
    case when x.gate = 'gated' then (select id from req) end, x.status, x.idempotent, x.result,
    case when x.status = 'refused' then now() end
  from run, jsonb_to_recordset(?::jsonb) as x(position int, "callId" text, tool text, args jsonb, gate text, status text, idempotent boolean, result text)
  returning *`;

/** Inserts the request of a new turn, when there is one (its id is null otherwise). */
const INSERT_REQUEST = `insert into agent_request (id, run_id, summary, destructive, status, requested_by_id, requested_by_name, expires_at, plan_hash)
  select ?::uuid, run.id, ?, ?, 'pending', run.requested_by_id, run.requested_by_name, ?, ? from run where ?::uuid is not null
  returning *`;

function requestParams(request: NewRequest | null): unknown[] {
  return [request?.id ?? null, request?.summary ?? '', request?.destructive ?? false, request?.expiresAt ?? new Date(0), request?.planHash ?? '', request?.id ?? null];
}

const usageOf = (turn: NewModelTurn) => [turn.usage?.promptTokens ?? 0, turn.usage?.completionTokens ?? 0, turn.usage?.totalTokens ?? 0];

/** Runs, their turns and calls, over `agent_run`, `agent_turn` and `tool_call`. Each method is one SQL statement. */
export class RunRepository implements RunStore {
  constructor(private readonly em: EntityManager) {}

  async createRun(input: Parameters<RunStore['createRun']>[0]): Promise<{ run: AgentRun; request: AgentRequest | null } | null> {
    const { where, turn } = input;
    // Unique on the trigger message: of two processes answering one turn, one creates the run.
    // Released at creation (lease_until now): the first step is due at once.
    const rows = await query(
      this.em,
      `with ${CONVERSATION_CTE},
       run as (
         insert into agent_run (conversation_id, thread_ref, kind, status, requested_by_id, requested_by_name, trigger_message_id, trace_id,
           turns, tool_calls, prompt_tokens, completion_tokens, total_tokens, deadline_at, lease_until)
         select conv.id, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, now() from conv
         on conflict (trigger_message_id) do nothing
         returning *
       ),
       turn as (insert into agent_turn (run_id, seq, content, prompt_tokens, completion_tokens, total_tokens) select run.id, 1, ?, ?, ?, ? from run),
       req as (${INSERT_REQUEST}),
       calls as (${INSERT_CALLS('1')}),
       answered as (update message set turn_state = 'answered' where id = ? and turn_state = 'pending' and exists (select 1 from run))
       select run.*, ${PLACE_COLUMNS},
         (select to_jsonb(r) from (${SELECT_REQUEST('conv')}) r) as request
       from run join conv c on c.id = run.conversation_id`,
      [
        ...placeParams(where),
        where.thread,
        input.kind,
        input.status,
        input.requestedBy.id,
        input.requestedBy.name,
        input.triggerMessageId,
        input.traceId ?? null,
        turn.calls.length,
        ...usageOf(turn),
        input.deadlineAt,
        turn.content,
        ...usageOf(turn),
        ...requestParams(input.request),
        callsParam(turn),
        input.triggerMessageId,
      ],
    );
    if (!rows[0]) return null;
    const request = rows[0].request as Record<string, unknown> | null;
    return { run: runsOfRows(this.em, rows)[0]!, request: request ? requestsOfRows(this.em, [request])[0]! : null };
  }

  async getRun(id: string): Promise<AgentRun | null> {
    if (!isUuid(id)) return null;
    const rows = await query(this.em, `with run as (select * from agent_run where id = ?) ${SELECT_RUN}`, [id]);
    return runsOfRows(this.em, rows)[0] ?? null;
  }

  async transcript(runId: string): Promise<RunTranscript> {
    const [row] = await query<{ turns: Record<string, unknown>[] | null; calls: Record<string, unknown>[] | null; plans: Record<string, string> | null }>(
      this.em,
      `select (select jsonb_agg(to_jsonb(t) order by t.seq) from agent_turn t where t.run_id = ?) as turns,
              (select jsonb_agg(to_jsonb(k) order by k.turn_seq, k.position) from tool_call k where k.run_id = ?) as calls,
              (select jsonb_object_agg(q.id, q.plan_hash) from agent_request q where q.run_id = ?) as plans`,
      [runId, runId, runId],
    );
    const turns = asEntityRows<AgentTurnRow>(this.em, AgentTurnEntity, row?.turns ?? []).map((t) => ({ seq: t.seq!, content: t.content ?? null }));
    return { turns, calls: callsOfRows(this.em, row?.calls ?? []), planHashes: new Map(Object.entries(row?.plans ?? {})) };
  }

  async claimStep(runId: string, leaseMs: number): Promise<StepClaim | null> {
    if (!isUuid(runId)) return null;
    // A lease still held (token set) but lapsed means its worker died: taking it over counts an attempt.
    const rows = await query(
      this.em,
      `with run as (
         update agent_run r set lease_token = gen_random_uuid(), lease_until = now() + ${MS},
           attempt = r.attempt + (r.lease_token is not null)::int
         where r.id = ? and (r.lease_token is null or r.lease_until < now())
           and (r.status = 'running' or (r.status = 'cancelled'
             and not exists (select 1 from message x where x.run_id = r.id and x.message_type = 'agent_result')))
         returning r.*
       ) ${SELECT_RUN}`,
      [Math.round(leaseMs), runId],
    );
    const [run] = runsOfRows(this.em, rows);
    return run ? { run, token: rows[0]!.lease_token as string } : null;
  }

  async renewLease(claim: StepClaim, leaseMs: number): Promise<RunStatus | null> {
    const rows = await query<{ status: RunStatus }>(
      this.em,
      `update agent_run set lease_until = now() + ${MS} where id = ? and lease_token = ?::uuid returning status`,
      [Math.round(leaseMs), claim.run.id, claim.token],
    );
    return rows[0]?.status ?? null;
  }

  async releaseStep(claim: StepClaim, status: 'running' | 'waiting'): Promise<boolean> {
    // lease_until = now() marks when the step was given back: the sweep re-sends a job for a run released long ago.
    const rows = await query(
      this.em,
      `update agent_run set lease_token = null, lease_until = now(), status = case when status = 'running' then ? else status end
       where id = ? and lease_token = ?::uuid returning id`,
      [status, claim.run.id, claim.token],
    );
    return rows.length > 0;
  }

  async startCall(claim: StepClaim, callRecordId: string): Promise<boolean> {
    const rows = await query(
      this.em,
      `update tool_call k set status = 'running', started_at = now()
       where k.id = ? and k.status in ('ready', 'running')
         and exists (select 1 from agent_run r where r.id = k.run_id and r.lease_token = ?::uuid)
       returning k.id`,
      [callRecordId, claim.token],
    );
    return rows.length > 0;
  }

  async endCall(claim: StepClaim, callRecordId: string, end: CallEnd): Promise<boolean> {
    const rows = await query(
      this.em,
      `update tool_call k set status = ?, output = ?, error = ?, result = ?, ended_at = now()
       where k.id = ? and k.status in ('ready', 'running')
         and exists (select 1 from agent_run r where r.id = k.run_id and r.lease_token = ?::uuid)
       returning k.id`,
      [end.status, end.output, end.error, end.result, callRecordId, claim.token],
    );
    return rows.length > 0;
  }

  async appendTurn(claim: StepClaim, turn: NewModelTurn, request: NewRequest | null): Promise<AgentRequest | null> {
    const rows = await query(
      this.em,
      `with run as (
         update agent_run set turns = turns + 1, tool_calls = tool_calls + ?,
           prompt_tokens = prompt_tokens + ?, completion_tokens = completion_tokens + ?, total_tokens = total_tokens + ?
         where id = ? and lease_token = ?::uuid
         returning *
       ),
       turn as (insert into agent_turn (run_id, seq, content, prompt_tokens, completion_tokens, total_tokens) select run.id, run.turns, ?, ?, ?, ? from run),
       req as (${INSERT_REQUEST}),
       calls as (${INSERT_CALLS('run.turns')})
       select (select to_jsonb(r) from (${SELECT_REQUEST('conversation')}) r) as request from run`,
      [turn.calls.length, ...usageOf(turn), claim.run.id, claim.token, turn.content, ...usageOf(turn), ...requestParams(request), callsParam(turn)],
    );
    const stored = rows[0]?.request as Record<string, unknown> | null | undefined;
    return stored ? requestsOfRows(this.em, [stored])[0]! : null;
  }

  async endRun(runId: string, end: Parameters<RunStore['endRun']>[1]): ReturnType<RunStore['endRun']> {
    const metadata = validateMetadata('agent_result', end.result.metadata);
    const token = end.claim?.token ?? null;
    // The run ends and its result row appears together, or neither does: a worker that dies
    // after this statement leaves an ended run with its result to post. A Cancel that landed
    // first keeps the run cancelled whatever the worker found.
    const rows = await query(
      this.em,
      `with run as (
         update agent_run r set status = case when r.status = 'cancelled' then 'cancelled' else ? end,
           error_code = coalesce(?, r.error_code), ended_at = now(), lease_token = null, lease_until = null
         where r.id = ? and r.status in ('running', 'waiting', 'cancelled')
           and (?::uuid is null or r.lease_token = ?::uuid)
           and not exists (select 1 from message x where x.run_id = r.id and x.message_type = 'agent_result')
         returning r.*
       ),
       leftover as (
         update tool_call set status = case when status = 'running' then 'interrupted' else 'skipped' end, ended_at = now()
         where run_id = (select id from run) and status in ('pending', 'ready', 'running')
       ),
       gates as (update agent_request set status = 'cancelled' where run_id = (select id from run) and status = 'pending'),
       res as (
         insert into message (conversation_id, thread_ref, author_id, author_name, role, message_type, text, metadata, run_id)
         select run.conversation_id, run.thread_ref, ?, ?, 'assistant', 'agent_result', ?, ?::jsonb, run.id from run
         on conflict (run_id, message_type) do nothing
         returning run_id, id as result_id, created_at as result_created_at
       )
       select run.*, res.result_id, res.result_created_at, ${PLACE_COLUMNS} from run join res on res.run_id = run.id join conversation c on c.id = run.conversation_id`,
      [end.status, end.errorCode, runId, token, token, end.result.author.id, end.result.author.name, end.result.text, jsonParam(metadata)],
    );
    const [row] = rows;
    const run = runsOfRows(this.em, rows)[0];
    if (!row || !run) return null;
    const result = { ...end.result, id: String(row.result_id), where: run.where, platformMessageId: null, metadata, traceId: null, createdAt: new Date(row.result_created_at as string | Date) };
    return { run, result };
  }

  async cancelRun(runId: string, by: Person): Promise<AgentRun | null> {
    if (!isUuid(runId)) return null;
    const rows = await query(
      this.em,
      `with run as (
         update agent_run set status = 'cancelled', cancelled_by_id = ?, cancelled_by_name = ?
         where id = ? and status in ('running', 'waiting')
         returning *
       ),
       gates as (update agent_request set status = 'cancelled' where run_id = (select id from run) and status = 'pending'),
       calls as (
         update tool_call set status = 'cancelled', ended_at = now(), result = ?
         where run_id = (select id from run) and status in ('pending', 'ready')
       )
       ${SELECT_RUN}`,
      [by.id, by.name, runId, `Cancelled by ${by.name} before it ran.`],
    );
    return runsOfRows(this.em, rows)[0] ?? null;
  }

  async stalledRuns(limit: number, releasedForMs = 10_000): Promise<string[]> {
    // A released run whose next job was lost (a crash between release and enqueue), or a
    // held lease that lapsed (its worker died).
    const rows = await query<{ id: string }>(
      this.em,
      `select r.id from agent_run r
       where r.status in ('running', 'cancelled')
         and ((r.lease_token is null and r.lease_until < now() - ${MS}) or (r.lease_token is not null and r.lease_until < now()))
         and not exists (select 1 from message x where x.run_id = r.id and x.message_type = 'agent_result')
       order by r.created_at limit ?`,
      [Math.round(releasedForMs), limit],
    );
    return rows.map((r) => r.id);
  }

  async storeRunMessage<T extends RunMessageType>(runId: string, message: NewMessage<T>): Promise<{ message: StoredMessage; isNew: boolean }> {
    const metadata = validateMetadata(message.type, message.metadata);
    const { where } = message;
    const rows = await query(
      this.em,
      `with ${CONVERSATION_CTE},
       ins as (
         insert into message (conversation_id, thread_ref, platform_message_id, author_id, author_name, role, message_type, text, metadata, run_id)
         select conv.id, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ? from conv
         on conflict (run_id, message_type) do nothing
         returning *
       )
       select m.*, ${PLACE_COLUMNS} from ins m join conv c on c.id = m.conversation_id`,
      [...placeParams(where), where.thread, message.platformMessageId, message.author.id, message.author.name, message.role, message.type, message.text, jsonParam(metadata), runId],
    );
    if (rows[0]) return { message: messagesOfRows(this.em, rows)[0]!, isNew: true };
    // Someone stored it first; a fresh statement sees their row.
    return { message: (await this.findRunMessage(runId, message.type))!, isNew: false };
  }

  async findRunMessage(runId: string, type: RunMessageType): Promise<StoredMessage | null> {
    if (!isUuid(runId)) return null;
    const rows = await query(
      this.em,
      `select m.*, ${PLACE_COLUMNS} from message m join conversation c on c.id = m.conversation_id where m.run_id = ? and m.message_type = ?`,
      [runId, type],
    );
    return messagesOfRows(this.em, rows)[0] ?? null;
  }

  async unpostedResults(olderThanMs: number, limit: number): Promise<StoredMessage[]> {
    const rows = await query(
      this.em,
      `select m.*, ${PLACE_COLUMNS} from message m join conversation c on c.id = m.conversation_id
       where m.message_type = 'agent_result' and m.platform_message_id is null and m.run_id is not null
         and m.created_at < now() - ${MS} and m.created_at > now() - interval '10 minutes'
       order by m.created_at limit ?`,
      [Math.round(olderThanMs), limit],
    );
    return messagesOfRows(this.em, rows);
  }

  async recentRuns(conversation: ConversationRef, limit: number): Promise<AgentRun[]> {
    const rows = await query(
      this.em,
      `with ${FIND_CONVERSATION_CTE}
       select r.*, ${PLACE_COLUMNS} from agent_run r join conv c on c.id = r.conversation_id order by r.created_at desc limit ?`,
      [...placeParams(conversation), limit],
    );
    return runsOfRows(this.em, rows);
  }
}
