/**
 * The hot statements of a run's steps (docs/development.md lists each with its reason). Every
 * `status in (...)` list comes from the transition tables in core/model/run-transitions.ts.
 */
import type { RunKind, RunStatus } from '../../core/model/agent-run';
import { CALL_MOVES, REQUEST_MOVES, RUN_MOVES } from '../../core/model/run-transitions';
import type { CallEnd } from '../../core/ports/stores';
import { hotStatement, sql, type Param } from '../hot-statement';
import { insertCalls, insertRequest, selectRequests, type RequestParams, type TurnParams } from './request-statements';
import { CALL, callStatus, CONVERSATION, conversationCte, MESSAGE, messageRole, messageType, millis, placeColumns, REQUEST, requestStatus, RUN, runStatus, TURN, turnState } from './statement-parts';
import type { MessageParams, PlaceParams } from './statement-parts';

const R = RUN;
const K = CALL;
const M = MESSAGE;

/** A run as the mappers read it: its row with its conversation's place. */
type RunRow = Record<string, unknown>;

/** The run aliased `r` has its result message stored: it has been told, and no step is due. */
const TOLD = sql`exists (select 1 from ${M.$table} x where x.${M.runId} = r.${R.id} and x.${M.messageType} = ${messageType('agent_result')})`;

/** `sql` over the run in CTE `run`, joined to its conversation (table). */
const RUN_WITH_PLACE = sql`select run.*, ${placeColumns('c')} from run join ${CONVERSATION.$table} c on c.${CONVERSATION.id} = run.${R.conversation}`;

/** Unique on the trigger message: of two processes answering one turn, one creates the run. Released at creation (lease_until now): the first step is due at once. */
export const CREATE_RUN = hotStatement<
  PlaceParams &
    TurnParams &
    RequestParams & {
      thread: string;
      kind: RunKind;
      status: (typeof RUN_MOVES.create.to)[number];
      requestedById: string;
      requestedByName: string;
      triggerMessageId: string | null;
      traceId: string | null;
      deadlineAt: Date;
    },
  RunRow & { request: Record<string, unknown> | null }
>(
  (p) => sql`with ${conversationCte(p)},
  run as (
    insert into ${R.$table} (${R.conversation}, ${R.threadRef}, ${R.kind}, ${R.status}, ${R.requestedById}, ${R.requestedByName}, ${R.triggerMessage}, ${R.traceId},
      ${R.turns}, ${R.toolCalls}, ${R.promptTokens}, ${R.completionTokens}, ${R.totalTokens}, ${R.deadlineAt}, ${R.leaseUntil})
    select conv.id, ${p.thread}, ${p.kind}, ${p.status}, ${p.requestedById}, ${p.requestedByName}, ${p.triggerMessageId}::uuid, ${p.traceId},
      1, ${p.callCount}, ${p.promptTokens}, ${p.completionTokens}, ${p.totalTokens}, ${p.deadlineAt}, now() from conv
    on conflict (${R.triggerMessage}) do nothing
    returning *
  ),
  turn as (
    insert into ${TURN.$table} (${TURN.run}, ${TURN.seq}, ${TURN.content}, ${TURN.promptTokens}, ${TURN.completionTokens}, ${TURN.totalTokens})
    select run.${R.id}, 1, ${p.content}, ${p.promptTokens}, ${p.completionTokens}, ${p.totalTokens} from run
  ),
  req as (${insertRequest(p)}),
  calls as (${insertCalls(p, sql`1`)}),
  answered as (
    update ${M.$table} set ${M.turnState} = ${turnState('answered')} where ${M.id} = ${p.triggerMessageId}::uuid and ${M.turnState} = ${turnState('pending')} and exists (select 1 from run)
  )
  select run.*, ${placeColumns('c')}, (select to_jsonb(r) from (${selectRequests({ run: 'run', conversation: 'conv', calls: 'calls' })}) r) as request
  from run join conv c on c.id = run.${R.conversation}`,
);

/** What a step is worked out from: the turns, the calls and the plan hash of each request, in one round trip. */
export const TRANSCRIPT = hotStatement<{ runId: string }, { turns: Record<string, unknown>[] | null; calls: Record<string, unknown>[] | null; plans: Record<string, string> | null }>(
  (p) => sql`select
    (select jsonb_agg(to_jsonb(t) order by t.${TURN.seq}) from ${TURN.$table} t where t.${TURN.run} = ${p.runId}) as turns,
    (select jsonb_agg(to_jsonb(k) order by k.${K.turnSeq}, k.${K.position}) from ${K.$table} k where k.${K.run} = ${p.runId}) as calls,
    (select jsonb_object_agg(q.${REQUEST.id}, q.${REQUEST.planHash}) from ${REQUEST.$table} q where q.${REQUEST.run} = ${p.runId}) as plans`,
);

/** A lease on the run's next step when nobody holds a live one; a lapsed lease still held means its worker died, and taking it over counts an attempt. */
export const CLAIM_STEP = hotStatement<{ runId: string; leaseMs: number }, RunRow>(
  (p) => sql`with run as (
    update ${R.$table} r set ${R.leaseToken} = gen_random_uuid(), ${R.leaseUntil} = now() + ${millis(p.leaseMs)},
      ${R.attempt} = r.${R.attempt} + (r.${R.leaseToken} is not null)::int
    where r.${R.id} = ${p.runId} and (r.${R.leaseToken} is null or r.${R.leaseUntil} < now())
      and r.${R.status} in (${runStatus.list(RUN_MOVES.claim.from)}) and not ${TOLD}
    returning r.*
  ) ${RUN_WITH_PLACE}`,
);

/** Extends the lease while `token` holds it; answers the run's status, so a worker learns of a Cancel. */
export const RENEW_LEASE = hotStatement<{ runId: string; token: string; leaseMs: number }, { status: RunStatus }>(
  (p) => sql`update ${R.$table} set ${R.leaseUntil} = now() + ${millis(p.leaseMs)} where ${R.id} = ${p.runId} and ${R.leaseToken} = ${p.token}::uuid returning ${R.status} as status`,
);

/** Gives the lease back; lease_until = now() marks when, so the sweep re-sends a job for a run released long ago. */
export const RELEASE_STEP = hotStatement<{ runId: string; token: string; status: (typeof RUN_MOVES.release.to)[number] }>(
  (p) => sql`update ${R.$table} set ${R.leaseToken} = null, ${R.leaseUntil} = now(),
    ${R.status} = case when ${R.status} in (${runStatus.list(RUN_MOVES.release.from)}) then ${p.status} else ${R.status} end
  where ${R.id} = ${p.runId} and ${R.leaseToken} = ${p.token}::uuid returning ${R.id}`,
);

/**
 * A run released to wait whose gates were all decided meanwhile goes on: a decision that came
 * while a step still held the run left it running (DECIDE_REQUEST), and the release then
 * parked it. Sent after RELEASE_STEP, so it sees every decision committed before that release.
 */
export const WAKE_DECIDED = hotStatement<{ runId: string }>(
  (p) => sql`update ${R.$table} r set ${R.status} = ${runStatus('running')}
  where r.${R.id} = ${p.runId} and r.${R.status} in (${runStatus.list(RUN_MOVES.decide.from)}) and r.${R.leaseToken} is null
    and not exists (select 1 from ${REQUEST.$table} q where q.${REQUEST.run} = r.${R.id} and q.${REQUEST.status} in (${requestStatus.list(REQUEST_MOVES.decide.from)}))
  returning r.${R.id}`,
);

/** While `token` holds the run of the call aliased `k`. */
const leaseHeld = (token: Param<string>) => sql`exists (select 1 from ${R.$table} r where r.${R.id} = k.${K.run} and r.${R.leaseToken} = ${token}::uuid)`;

/** ready → running (running again after a takeover), while the lease holds. */
export const START_CALL = hotStatement<{ callRecordId: string; token: string }>(
  (p) => sql`update ${K.$table} k set ${K.status} = ${callStatus('running')}, ${K.startedAt} = now()
  where k.${K.id} = ${p.callRecordId} and k.${K.status} in (${callStatus.list(CALL_MOVES.start.from)}) and ${leaseHeld(p.token)}
  returning k.${K.id}`,
);

/** How a call ended, while the lease holds. */
export const END_CALL = hotStatement<{ callRecordId: string; token: string; status: CallEnd['status']; output: string | null; error: string | null; result: string }>(
  (p) => sql`update ${K.$table} k set ${K.status} = ${p.status}, ${K.output} = ${p.output}, ${K.error} = ${p.error}, ${K.result} = ${p.result}, ${K.endedAt} = now()
  where k.${K.id} = ${p.callRecordId} and k.${K.status} in (${callStatus.list(CALL_MOVES.end.from)}) and ${leaseHeld(p.token)}
  returning k.${K.id}`,
);

/** A model turn, its calls, its usage and its request, while the lease holds. */
export const APPEND_TURN = hotStatement<TurnParams & RequestParams & { runId: string; token: string }, { request: Record<string, unknown> | null }>(
  (p) => sql`with run as (
    update ${R.$table} set ${R.turns} = ${R.turns} + 1, ${R.toolCalls} = ${R.toolCalls} + ${p.callCount},
      ${R.promptTokens} = ${R.promptTokens} + ${p.promptTokens}, ${R.completionTokens} = ${R.completionTokens} + ${p.completionTokens}, ${R.totalTokens} = ${R.totalTokens} + ${p.totalTokens}
    where ${R.id} = ${p.runId} and ${R.leaseToken} = ${p.token}::uuid
    returning *
  ),
  turn as (
    insert into ${TURN.$table} (${TURN.run}, ${TURN.seq}, ${TURN.content}, ${TURN.promptTokens}, ${TURN.completionTokens}, ${TURN.totalTokens})
    select run.${R.id}, run.${R.turns}, ${p.content}, ${p.promptTokens}, ${p.completionTokens}, ${p.totalTokens} from run
  ),
  req as (${insertRequest(p)}),
  calls as (${insertCalls(p, sql`run.${R.turns}`)})
  select (select to_jsonb(r) from (${selectRequests({ run: 'run', conversation: 'table', calls: 'calls' })}) r) as request from run`,
);

/**
 * The run ends and its result row appears together, or neither does: a worker that dies after
 * this statement leaves an ended run with its result to post. A Cancel that landed first keeps
 * the run cancelled whatever the worker found (the `tell` move). Calls not started are skipped,
 * running ones interrupted, waiting requests cancelled.
 */
export const END_RUN = hotStatement<
  { runId: string; token: string | null; status: (typeof RUN_MOVES.end.to)[number]; errorCode: string | null; authorId: string; authorName: string; text: string; metadata: string },
  RunRow & { result_id: string; result_created_at: string | Date }
>(
  (p) => sql`with run as (
    update ${R.$table} r set ${R.status} = case when r.${R.status} in (${runStatus.list(RUN_MOVES.tell.from)}) then r.${R.status} else ${p.status} end,
      ${R.errorCode} = coalesce(${p.errorCode}, r.${R.errorCode}), ${R.endedAt} = now(), ${R.leaseToken} = null, ${R.leaseUntil} = null
    where r.${R.id} = ${p.runId} and r.${R.status} in (${runStatus.list([...RUN_MOVES.end.from, ...RUN_MOVES.tell.from])})
      and (${p.token}::uuid is null or r.${R.leaseToken} = ${p.token}::uuid)
      and not ${TOLD}
    returning r.*
  ),
  leftover as (
    update ${K.$table} set ${K.status} = case when ${K.status} in (${callStatus.list(CALL_MOVES.interrupt.from)}) then ${callStatus('interrupted')} else ${callStatus('skipped')} end, ${K.endedAt} = now()
    where ${K.run} = (select ${R.id} from run) and ${K.status} in (${callStatus.list([...CALL_MOVES.skip.from, ...CALL_MOVES.interrupt.from])})
  ),
  gates as (
    update ${REQUEST.$table} set ${REQUEST.status} = ${requestStatus('cancelled')}
    where ${REQUEST.run} = (select ${R.id} from run) and ${REQUEST.status} in (${requestStatus.list(REQUEST_MOVES.cancel.from)})
  ),
  res as (
    insert into ${M.$table} (${M.conversation}, ${M.threadRef}, ${M.authorId}, ${M.authorName}, ${M.role}, ${M.messageType}, ${M.text}, ${M.metadata}, ${M.runId})
    select run.${R.conversation}, run.${R.threadRef}, ${p.authorId}, ${p.authorName}, ${messageRole('assistant')}, ${messageType('agent_result')}, ${p.text}, ${p.metadata}::jsonb, run.${R.id} from run
    on conflict (${M.runId}, ${M.messageType}) do nothing
    returning ${M.runId} as run_id, ${M.id} as result_id, ${M.createdAt} as result_created_at
  )
  select run.*, res.result_id, res.result_created_at, ${placeColumns('c')}
  from run join res on res.run_id = run.${R.id} join ${CONVERSATION.$table} c on c.${CONVERSATION.id} = run.${R.conversation}`,
);

/** The run's one progress or result message, stored unless it has one. */
export const STORE_RUN_MESSAGE = hotStatement<MessageParams & { runId: string }, RunRow>(
  (p) => sql`with ${conversationCte(p)},
  ins as (
    insert into ${M.$table} (${M.conversation}, ${M.threadRef}, ${M.platformMessageId}, ${M.authorId}, ${M.authorName}, ${M.role}, ${M.messageType}, ${M.text}, ${M.metadata}, ${M.runId})
    select conv.id, ${p.thread}, ${p.platformMessageId}, ${p.authorId}, ${p.authorName}, ${p.role}, ${p.type}, ${p.text}, ${p.metadata}::jsonb, ${p.runId}::uuid from conv
    on conflict (${M.runId}, ${M.messageType}) do nothing
    returning *
  )
  select m.*, ${placeColumns('c')} from ins m join conv c on c.id = m.${M.conversation}`,
);
