import type { Logger } from '../../logging/logger';
import type { AgentRequest } from '../model/agent-request';
import type { AgentRun, RunKind, TokenUsage } from '../model/agent-run';
import { conversationOf, type Person, type ThreadRef } from '../model/conversation';
import { newTraceId } from '../model/trace-id';
import type { ModelToolCall } from '../ports/language-model';
import type { NewToolCall, StepClaim } from '../ports/stores';
import type { WiredDeps } from '../core-deps';
import { prepareGate, type GateDeps } from '../approvals/gate';
import type { RunEnding } from '../runs/run-ending';
import { stoppedText } from '../runs/result-text';
import { sortCalls } from './call-policy';
import { envPolicy } from '../policy/env-policy';
import type { GatePoster } from './gate-poster';
import { statusAfterTurn } from './next-step';

/** A turn that asked for tools, on its way to becoming (or continuing) a run. */
export interface StartInput {
  readonly where: ThreadRef;
  readonly requestedBy: Person;
  /** The stored message it answers; one run per message. Null for a slash command. */
  readonly triggerMessageId: string | null;
  /** That message's trace id; a new one when unset (a slash command). */
  readonly traceId?: string;
  readonly kind: RunKind;
  /** What the model said with its calls (the card's summary), if anything. */
  readonly said: string | null;
  readonly usage: TokenUsage | null;
  readonly toolCalls: readonly ModelToolCall[];
}

export type StartOutcome =
  | { readonly kind: 'started'; readonly run: AgentRun }
  /** That message already has a run (another process, or a recovered turn). */
  | { readonly kind: 'duplicate' }
  /** Nothing stored: the calls could not be put to a person as they are. */
  | { readonly kind: 'refused'; readonly why: string }
  /** The run was stored but its card could not be posted, so it ended at once. */
  | { readonly kind: 'card_failed'; readonly error: unknown };

/** A later model turn that asked for calls: its words (the card's summary), its tokens, its calls. */
export interface AskedCalls {
  readonly content: string;
  readonly usage: TokenUsage | null;
  readonly calls: readonly ModelToolCall[];
}

/**
 * From the model's tool calls (or a `!run`'s) to stored calls: each checked and sorted by
 * policy, the gated ones put on one card (or refused before anything is stored when a card
 * cannot show them), the turn stored with them (the first starting the run), the card posted.
 */
export class CallRecorder {
  constructor(
    private readonly deps: WiredDeps,
    private readonly parts: { gates: GatePoster; ending: RunEnding },
  ) {}

  /** Starts a run with the first turn's calls; a `manual` run's refused call is refused to the person instead. */
  async startRun(input: StartInput): Promise<StartOutcome> {
    const calls = await this.sort(input.toolCalls, input.where, this.deps.settings.agent.maxToolCalls);
    // A `!run` has no model to read a refusal: it is answered to the person instead.
    const refused = input.kind === 'manual' ? calls.find((c) => c.status === 'refused') : undefined;
    if (refused) return { kind: 'refused', why: (refused.result ?? '').replace(/^Not run: /, '') };
    const gate = prepareGate(calls, { where: input.where, requestedBy: input.requestedBy, said: input.said }, this.gateDeps());
    if (!gate.ok) return { kind: 'refused', why: gate.why };
    const status = statusAfterTurn(calls);
    const traceId = input.traceId ?? newTraceId();
    const created = await this.deps.runs.createRun({
      where: input.where,
      kind: input.kind,
      status,
      requestedBy: input.requestedBy,
      triggerMessageId: input.triggerMessageId,
      traceId,
      deadlineAt: new Date(this.deps.clock.now().getTime() + this.deps.settings.agent.maxRunMs),
      turn: { content: input.said, usage: input.usage, calls },
      request: gate.request,
    });
    if (!created) return { kind: 'duplicate' };
    this.deps.metrics.runStarted({ platform: input.where.platform });
    this.countAutoRun(input.where, calls);
    const log = this.deps.log.child({ runId: created.run.id, traceId });
    log.info({ kind: input.kind, tools: calls.map((c) => c.tool), gated: Boolean(created.request) }, 'run started');
    if (created.request) {
      const gate = await this.parts.gates.post(created.run, created.request, log);
      if ('error' in gate) return { kind: 'card_failed', error: gate.error };
    }
    if (status === 'running') await this.deps.queue.enqueue(created.run.id);
    return { kind: 'started', run: created.run };
  }

  /**
   * The model asked for more calls mid-run: stores the turn and its gate; the run's next status,
   * or `ended` when it could not go on, and the request whose card was posted. `log` is the step's.
   */
  async appendTurn(claim: StepClaim, turn: AskedCalls, log: Logger): Promise<{ next: 'running' | 'waiting' | 'ended'; gate: AgentRequest | null }> {
    const { run } = claim;
    const calls = await this.sort(turn.calls, run.where, this.deps.settings.agent.maxToolCalls - run.toolCalls);
    const gate = prepareGate(calls, { where: run.where, requestedBy: run.requestedBy, said: turn.content }, this.gateDeps());
    if (!gate.ok) {
      const text = stoppedText('failed', `my next step could not be put to you for approval. ${gate.why} Nothing more was run.`, null);
      await this.parts.ending.end(run, { status: 'failed', errorCode: 'plan_refused', text }, claim);
      return { next: 'ended', gate: null };
    }
    const request = await this.deps.runs.appendTurn(claim, { content: turn.content || null, usage: turn.usage, calls }, gate.request);
    this.countAutoRun(run.where, calls);
    if (!request) return { next: statusAfterTurn(calls), gate: null };
    const posted = await this.parts.gates.post(run, request, log, claim);
    return 'error' in posted ? { next: 'ended', gate: null } : { next: statusAfterTurn(calls), gate: posted.posted };
  }

  private async sort(toolCalls: readonly ModelToolCall[], where: ThreadRef, callsLeft: number): Promise<NewToolCall[]> {
    const rules = await this.deps.policyCache.rulesIn(where);
    return sortCalls(toolCalls, { tools: this.deps.tools, scope: conversationOf(where), env: envPolicy(this.deps.settings), rules, callsLeft });
  }

  /** A turn's calls that policy lets run without asking count as one approval that waited for nobody. */
  private countAutoRun(where: ThreadRef, calls: readonly NewToolCall[]): void {
    if (calls.some((c) => c.status === 'ready')) this.deps.metrics.approvalWaited({ platform: where.platform, decision: 'auto', ms: 0 });
  }

  private gateDeps(): GateDeps {
    const { tools, platforms, clock, settings } = this.deps;
    return { tools, platforms, clock, requestTtlMs: settings.requestTtlMs, budget: settings.agent };
  }
}
