/**
 * The hot statements of gates (docs/development.md lists each with its reason), and the parts
 * of a model turn's statement that store its calls and its request, read back with the calls
 * aggregated, as requestsOfRows reads them.
 */
import type { RequestStatus } from '../../core/model/agent-request';
import { CALL_MOVES, REQUEST_MOVES, RUN_MOVES } from '../../core/model/run-transitions';
import { CALL_GATES } from '../../core/model/tool-call';
import type { NewModelTurn, NewRequest } from '../../core/ports/stores';
import { hotStatement, sql, type Placeholders, type SqlFragment, type SqlText } from '../hot-statement';
import { jsonParam } from '../sql-values';
import { literalsOf } from '../schema-names';
import { REQUEST_EXTRAS } from './row-mappers';
import { CALL, callStatus, CONVERSATION, conversationCte, MESSAGE, messageRole, messageType, placeColumns, REQUEST, requestStatus, RUN, runStatus } from './statement-parts';
import type { MessageParams } from './statement-parts';

const K = CALL;
const Q = REQUEST;
const M = MESSAGE;
const callGate = literalsOf(CALL_GATES);

/** A model turn's words, usage and calls (as one jsonb array, unpacked by `jsonb_to_recordset`). */
export interface TurnParams {
  readonly content: string | null;
  readonly calls: string;
  readonly callCount: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly totalTokens: number;
}

/** The parameters of a model turn. */
export function turnParams(turn: NewModelTurn): TurnParams {
  return {
    content: turn.content,
    calls: jsonParam(turn.calls.map((c, position) => ({ ...c, position }))),
    callCount: turn.calls.length,
    promptTokens: turn.usage?.promptTokens ?? 0,
    completionTokens: turn.usage?.completionTokens ?? 0,
    totalTokens: turn.usage?.totalTokens ?? 0,
  };
}

/** A turn's request; with a null id there is none, and nothing is inserted. */
export interface RequestParams {
  readonly requestId: string | null;
  readonly summary: string;
  readonly destructive: boolean;
  readonly expiresAt: Date;
  readonly planHash: string;
  readonly cardToken: string;
}

/** The parameters of a turn's request, or of none. */
export function requestParams(request: NewRequest | null): RequestParams {
  return {
    requestId: request?.id ?? null,
    summary: request?.summary ?? '',
    destructive: request?.destructive ?? false,
    expiresAt: request?.expiresAt ?? new Date(0),
    planHash: request?.planHash ?? '',
    cardToken: request?.cardToken ?? '',
  };
}

/** Inserts the request of the run in CTE `run`, when there is one. */
export const insertRequest = (p: Placeholders<RequestParams>): SqlFragment => sql`insert into ${Q.$table}
    (${Q.id}, ${Q.run}, ${Q.summary}, ${Q.destructive}, ${Q.status}, ${Q.requestedById}, ${Q.requestedByName}, ${Q.expiresAt}, ${Q.planHash}, ${Q.cardToken})
  select ${p.requestId}::uuid, run.${RUN.id}, ${p.summary}, ${p.destructive}, ${requestStatus('pending')}, run.${RUN.requestedById}, run.${RUN.requestedByName}, ${p.expiresAt}, ${p.planHash}, ${p.cardToken}
  from run where ${p.requestId}::uuid is not null
  returning *`;

/** Inserts a turn's calls for the run in CTE `run`, at seq `seq`, linking gated ones to the request in CTE `req`. */
export const insertCalls = (p: Placeholders<TurnParams>, seq: SqlFragment): SqlFragment => sql`insert into ${K.$table}
    (${K.run}, ${K.turnSeq}, ${K.position}, ${K.callId}, ${K.tool}, ${K.args}, ${K.gate}, ${K.request}, ${K.status}, ${K.idempotent}, ${K.result}, ${K.endedAt})
  select run.${RUN.id}, ${seq}, x.position, x."callId", x.tool, x.args, x.gate,
    case when x.gate = ${callGate('gated')} then (select ${Q.id} from req) end, x.status, x.idempotent, x.result,
    case when x.status = ${callStatus('refused')} then now() end
  from run, jsonb_to_recordset(${p.calls}::jsonb) as x(position int, "callId" text, tool text, args jsonb, gate text, status text, idempotent boolean, result text)
  returning *`;

/**
 * Requests from CTE `req`, with their run (CTE or table `run`), its conversation (`conversation`:
 * the CTE `conv` where the run is new, else the table) and their calls (from `calls`), as
 * requestsOfRows reads them. Rows a CTE inserted or changed are seen through the CTE only.
 */
export const selectRequests = (source: { run: 'run' | 'table'; conversation: 'conv' | 'table'; calls: 'calls' | 'table' }): SqlFragment => {
  const run = source.run === 'run' ? ('run' as SqlText) : RUN.$table;
  const conversation = source.conversation === 'conv' ? ('conv' as SqlText) : CONVERSATION.$table;
  const calls = source.calls === 'calls' ? ('calls' as SqlText) : K.$table;
  return sql`select req.*, ${placeColumns('c')}, r.${RUN.threadRef} as ${REQUEST_EXTRAS.thread as SqlText}, r.${RUN.traceId} as ${REQUEST_EXTRAS.traceId as SqlText},
    coalesce((select jsonb_agg(to_jsonb(k)) from ${calls} k where k.${K.request} = req.${Q.id}), '[]'::jsonb) as ${REQUEST_EXTRAS.calls as SqlText}
  from req join ${run} r on r.${RUN.id} = req.${Q.run} join ${conversation} c on c.${CONVERSATION.id} = r.${RUN.conversation}`;
};

/**
 * A request's posted card stored (once) and linked to the request, whose status and plan come
 * back as they stand: a click carrying the card's token may have decided it meanwhile.
 */
export const RECORD_CARD = hotStatement<MessageParams & { requestId: string }, { status: RequestStatus; plan_hash: string }>(
  (p) => sql`with ${conversationCte(p)},
  card as (
    insert into ${M.$table} (${M.conversation}, ${M.threadRef}, ${M.platformMessageId}, ${M.authorId}, ${M.authorName}, ${M.role}, ${M.messageType}, ${M.text}, ${M.metadata}, ${M.requestId})
    select conv.id, ${p.thread}, ${p.platformMessageId}, ${p.authorId}, ${p.authorName}, ${messageRole('assistant')}, ${messageType('agent_request')}, ${p.text}, ${p.metadata}::jsonb, ${p.requestId}::uuid from conv
    on conflict (${M.requestId}) do nothing
  )
  update ${Q.$table} set ${Q.cardPlatformId} = ${p.platformMessageId} where ${Q.id} = ${p.requestId}::uuid
  returning ${Q.status} as status, ${Q.planHash} as plan_hash`,
);

/**
 * The decision: only a pending, unexpired request whose plan is still the one shown moves. Its
 * calls (ready or denied), its run (waiting → running) and its card's text move with it. The run
 * is updated whatever its status, so its newest version decides: a step's release to wait that
 * committed after this statement began is seen and woken; one still to come waits for this
 * statement, and WAKE_DECIDED (run-statements.ts) after it finds the gate decided.
 */
export const DECIDE_REQUEST = hotStatement<{
  id: string;
  decision: (typeof REQUEST_MOVES.decide.to)[number];
  byId: string;
  byName: string;
  now: Date;
  reason: string | null;
  planHash: string;
  callStatus: (typeof CALL_MOVES.decide.to)[number];
  result: string | null;
  approved: boolean;
  cardText: string;
}>(
  (p) => sql`with req as (
    update ${Q.$table} set ${Q.status} = ${p.decision}, ${Q.decidedById} = ${p.byId}, ${Q.decidedByName} = ${p.byName}, ${Q.decidedAt} = ${p.now}, ${Q.reason} = ${p.reason}
    where ${Q.id} = ${p.id} and ${Q.status} in (${requestStatus.list(REQUEST_MOVES.decide.from)}) and ${Q.expiresAt} > ${p.now} and ${Q.planHash} = ${p.planHash}
    returning *
  ),
  calls as (
    update ${K.$table} set ${K.status} = ${p.callStatus}, ${K.result} = ${p.result}, ${K.endedAt} = case when ${p.approved} then null else now() end
    where ${K.request} = (select ${Q.id} from req) and ${K.status} in (${callStatus.list(CALL_MOVES.decide.from)})
    returning *
  ),
  run as (
    update ${RUN.$table} set ${RUN.status} = case when ${RUN.status} in (${runStatus.list(RUN_MOVES.decide.from)}) then ${runStatus('running')} else ${RUN.status} end
    where ${RUN.id} = (select ${Q.run} from req)
  ),
  card as (
    update ${M.$table} set ${M.text} = ${p.cardText} where ${M.requestId} = (select ${Q.id} from req) and ${M.messageType} = ${messageType('agent_request')}
  )
  ${selectRequests({ run: 'table', conversation: 'table', calls: 'calls' })}`,
);

/** A request with its calls and its run's place: every click on a card reads it before deciding. */
export const GET_REQUEST = hotStatement<{ id: string }>(
  (p) => sql`with req as (select * from ${Q.$table} where ${Q.id} = ${p.id}) ${selectRequests({ run: 'table', conversation: 'table', calls: 'table' })}`,
);
