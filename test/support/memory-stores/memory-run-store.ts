import type { AgentRequest } from '../../../src/core/model/agent-request';
import { NO_USAGE, type AgentRun, type RunStatus } from '../../../src/core/model/agent-run';
import { conversationOf, type ConversationRef, type Person, type ThreadRef } from '../../../src/core/model/conversation';
import type { NewMessage, StoredMessage } from '../../../src/core/model/message';
import type { CallEnd, NewModelTurn, NewRequest, RunMessageType, RunStore, RunTranscript, StepClaim } from '../../../src/core/ports/stores';
import { byCreation, checkedMetadata, conversationKey, threadKey, type MemoryDatabase, type RunRow } from './memory-database';
import { insertMessage, toCall, toMessage, toRun } from './memory-rows';
import { insertModelTurn } from './memory-turns';

/** How long results stay worth posting again: the window unpostedResults looks back over. */
const RESULT_RETRY_WINDOW_MS = 10 * 60_000;

/** Runs in memory: the RunRepository's lease, its conditional moves and its one result per run. */
export class MemoryRunStore implements RunStore {
  constructor(private readonly db: MemoryDatabase) {}

  async createRun(input: Parameters<RunStore['createRun']>[0]): Promise<{ run: AgentRun; request: AgentRequest | null } | null> {
    const { triggerMessageId } = input;
    // One run per trigger message: of two processes answering one turn, one creates the run.
    if (triggerMessageId !== null && [...this.db.runs.values()].some((r) => r.triggerMessageId === triggerMessageId)) return null;
    const now = this.db.now();
    const run: RunRow = {
      id: this.db.newId(),
      seq: this.db.nextSeq(),
      where: { ...input.where },
      kind: input.kind,
      status: input.status,
      requestedBy: { ...input.requestedBy },
      triggerMessageId,
      turns: 0,
      toolCalls: 0,
      usage: NO_USAGE,
      deadlineAt: new Date(input.deadlineAt),
      attempt: 0,
      createdAt: now,
      endedAt: null,
      errorCode: null,
      cancelledBy: null,
      traceId: input.traceId ?? null,
      // Released at creation: the first step is due at once.
      leaseToken: null,
      leaseUntil: now,
    };
    this.db.runs.set(run.id, run);
    const request = insertModelTurn(this.db, run, input.turn, input.request);
    const trigger = triggerMessageId === null ? undefined : this.db.messages.get(triggerMessageId);
    if (trigger?.turnState === 'pending') trigger.turnState = 'answered';
    return { run: toRun(run), request };
  }

  async getRun(id: string): Promise<AgentRun | null> {
    const run = this.db.runs.get(id);
    return run ? toRun(run) : null;
  }

  async transcript(runId: string): Promise<RunTranscript> {
    const turns = this.db.turns.filter((t) => t.runId === runId).sort((a, b) => a.seq - b.seq);
    const plans = this.db.requestsWhere((q) => q.runId === runId).map((q) => [q.id, q.planHash] as const);
    return {
      turns: turns.map((t) => ({ seq: t.seq, content: t.content })),
      calls: this.db.callsWhere((c) => c.runId === runId).map(toCall),
      planHashes: new Map(plans),
    };
  }

  async claimStep(runId: string, leaseMs: number): Promise<StepClaim | null> {
    const run = this.db.runs.get(runId);
    const now = this.db.now();
    if (!run || !this.stepDue(run) || (run.leaseToken !== null && run.leaseUntil!.getTime() >= now.getTime())) return null;
    // A lease still held but lapsed means its worker died: taking it over counts an attempt.
    if (run.leaseToken !== null) run.attempt += 1;
    run.leaseToken = this.db.newId();
    run.leaseUntil = new Date(now.getTime() + leaseMs);
    return { run: toRun(run), token: run.leaseToken };
  }

  async renewLease(claim: StepClaim, leaseMs: number): Promise<RunStatus | null> {
    const run = this.held(claim);
    if (!run) return null;
    run.leaseUntil = new Date(this.db.now().getTime() + leaseMs);
    return run.status;
  }

  async releaseStep(claim: StepClaim, status: 'running' | 'waiting'): Promise<boolean> {
    const run = this.held(claim);
    if (!run) return false;
    // Marks when the step was given back: the sweep re-sends a job for a run released long ago.
    run.leaseToken = null;
    run.leaseUntil = this.db.now();
    if (run.status === 'running') run.status = status;
    return true;
  }

  async wakeDecided(runId: string): Promise<boolean> {
    const run = this.db.runs.get(runId);
    const waitsForSomeone = this.db.requestsWhere((q) => q.runId === runId && q.status === 'pending').length > 0;
    if (run?.status !== 'waiting' || run.leaseToken !== null || waitsForSomeone) return false;
    run.status = 'running';
    return true;
  }

  async startCall(claim: StepClaim, callRecordId: string): Promise<boolean> {
    const call = this.liveCall(claim, callRecordId);
    if (!call) return false;
    call.status = 'running';
    call.startedAt = this.db.now();
    return true;
  }

  async endCall(claim: StepClaim, callRecordId: string, end: CallEnd): Promise<boolean> {
    const call = this.liveCall(claim, callRecordId);
    if (!call) return false;
    Object.assign(call, { status: end.status, output: end.output, error: end.error, result: end.result, endedAt: this.db.now() });
    return true;
  }

  async appendTurn(claim: StepClaim, turn: NewModelTurn, request: NewRequest | null): Promise<AgentRequest | null> {
    const run = this.held(claim);
    return run ? insertModelTurn(this.db, run, turn, request) : null;
  }

  async endRun(runId: string, end: Parameters<RunStore['endRun']>[1]): ReturnType<RunStore['endRun']> {
    checkedMetadata('agent_result', end.result.metadata);
    const run = this.db.runs.get(runId);
    if (!run || !['running', 'waiting', 'cancelled'].includes(run.status) || this.db.runMessage(runId, 'agent_result')) return null;
    if (end.claim && run.leaseToken !== end.claim.token) return null;
    const result = insertMessage(this.db, { ...end.result, where: run.where, platformMessageId: null, role: 'assistant', traceId: undefined }, { runId })!;
    // A Cancel that landed first keeps the run cancelled whatever the worker found.
    if (run.status !== 'cancelled') run.status = end.status;
    run.errorCode = end.errorCode ?? run.errorCode;
    run.endedAt = this.db.now();
    run.leaseToken = null;
    run.leaseUntil = null;
    for (const call of this.db.callsWhere((c) => c.runId === runId && ['pending', 'ready', 'running'].includes(c.status))) {
      call.status = call.status === 'running' ? 'interrupted' : 'skipped';
      call.endedAt = run.endedAt;
    }
    this.cancelPendingRequests(runId);
    return { run: toRun(run), result: toMessage(result) };
  }

  async cancelRun(runId: string, by: Person): Promise<AgentRun | null> {
    const run = this.db.runs.get(runId);
    if (!run || (run.status !== 'running' && run.status !== 'waiting')) return null;
    run.status = 'cancelled';
    run.cancelledBy = { ...by };
    this.cancelPendingRequests(runId);
    const now = this.db.now();
    for (const call of this.db.callsWhere((c) => c.runId === runId && (c.status === 'pending' || c.status === 'ready'))) {
      Object.assign(call, { status: 'cancelled', endedAt: now, result: `Cancelled by ${by.name} before it ran.` });
    }
    return toRun(run);
  }

  async stalledRuns(limit: number, releasedForMs = 10_000): Promise<string[]> {
    const now = this.db.now().getTime();
    // A released run whose next job was lost, or a held lease that lapsed (its worker died).
    const stalled = (r: RunRow) =>
      r.leaseUntil !== null && (r.leaseToken === null ? r.leaseUntil.getTime() < now - releasedForMs : r.leaseUntil.getTime() < now);
    return [...this.db.runs.values()]
      .filter((r) => this.stepDue(r) && stalled(r))
      .sort(byCreation)
      .slice(0, limit)
      .map((r) => r.id);
  }

  async storeRunMessage<T extends RunMessageType>(runId: string, message: NewMessage<T>): Promise<{ message: StoredMessage; isNew: boolean }> {
    checkedMetadata(message.type, message.metadata);
    const stored = this.db.runMessage(runId, message.type);
    if (stored) return { message: toMessage(stored), isNew: false };
    return { message: toMessage(insertMessage(this.db, { ...message, traceId: undefined }, { runId })!), isNew: true };
  }

  async findRunMessage(runId: string, type: RunMessageType): Promise<StoredMessage | null> {
    const row = this.db.runMessage(runId, type);
    return row ? toMessage(row) : null;
  }

  async unpostedResults(olderThanMs: number, limit: number): Promise<StoredMessage[]> {
    const now = this.db.now().getTime();
    const age = (m: { createdAt: Date }) => now - m.createdAt.getTime();
    return this.db
      .messagesWhere((m) => m.type === 'agent_result' && m.platformMessageId === null && m.runId !== null && age(m) > olderThanMs && age(m) < RESULT_RETRY_WINDOW_MS)
      .sort(byCreation)
      .slice(0, limit)
      .map(toMessage);
  }

  async recentRuns(conversation: ConversationRef, limit: number): Promise<AgentRun[]> {
    const key = conversationKey(conversation);
    return [...this.db.runs.values()]
      .filter((r) => conversationKey(conversationOf(r.where)) === key)
      .sort((a, b) => byCreation(b, a))
      .slice(0, limit)
      .map(toRun);
  }

  async liveRunsIn(thread: ThreadRef): Promise<AgentRun[]> {
    return [...this.db.runs.values()]
      .filter((r) => (r.status === 'running' || r.status === 'waiting') && threadKey(r.where) === threadKey(thread))
      .sort(byCreation)
      .map(toRun);
  }

  private cancelPendingRequests(runId: string): void {
    for (const request of this.db.requestsWhere((q) => q.runId === runId && q.status === 'pending')) request.status = 'cancelled';
  }

  /** Running, or cancelled and not yet told (no result stored): a step is due. */
  private stepDue(run: RunRow): boolean {
    return run.status === 'running' || (run.status === 'cancelled' && !this.db.runMessage(run.id, 'agent_result'));
  }

  /** The run, when `claim` still holds its lease. */
  private held(claim: StepClaim): RunRow | null {
    const run = this.db.runs.get(claim.run.id);
    return run && run.leaseToken === claim.token ? run : null;
  }

  /** A call not yet ended, of a run whose lease `claim` holds. */
  private liveCall(claim: StepClaim, callRecordId: string) {
    const call = this.db.calls.get(callRecordId);
    if (!call || (call.status !== 'ready' && call.status !== 'running')) return null;
    const run = this.db.runs.get(call.runId);
    return run?.leaseToken === claim.token ? call : null;
  }
}
