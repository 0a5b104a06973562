import { SwitchboardError, ToolError } from '../errors';
import type { AgentRequest } from '../model/agent-request';
import { conversationOf } from '../model/conversation';
import type { Outcome } from '../model/message';
import type { CoreDeps } from '../core-deps';
import { Outbox } from '../conversation/outbox';
import { hashPlan } from './plan-hash';
import { ProgressTracker } from './progress-tracker';
import type { RequestService } from './request-service';
import { resultMessage, resultRecord } from './result-message';

/** How often a run checks Postgres for a Cancel clicked on any process. */
const CANCEL_POLL_MS = 500;

interface RunEnd {
  outcome: Outcome;
  output: string;
  error: string | null;
}

/**
 * Runs an approved request: exactly the approved actions, each re-checked against its
 * tool's schema, with live progress, cancel, a per-action timeout, and a result.
 */
export class RequestRunner {
  private readonly outbox: Outbox;

  constructor(
    private readonly deps: CoreDeps,
    private readonly service: RequestService,
  ) {
    this.outbox = new Outbox(deps.platforms, deps.messages, deps.log);
  }

  /** Runs the request if it is approved and no one else has started it; otherwise does nothing. */
  async run(requestId: string): Promise<void> {
    const request = await this.deps.requests.transitionRequest(requestId, ['approved'], 'running');
    if (!request) return;
    const log = this.deps.log.child({ requestId });
    log.info('run started');
    await this.service.refreshCard(request);
    const progress = await ProgressTracker.start(request.id, request.where, {
      outbox: this.outbox,
      messages: this.deps.messages,
      intervalMs: this.deps.settings.progressIntervalMs,
      log,
    });
    const abort = new AbortController();
    const watcher = this.watchForCancel(request.id, abort);
    const end = await this.execute(request, progress, abort.signal);
    clearInterval(watcher);
    const finalOutcome = await this.settle(request, end.outcome);
    await progress.finish(finalOutcome === 'succeeded' ? 'done' : finalOutcome === 'cancelled' ? 'cancelled' : 'failed');
    await this.report(request, { ...end, outcome: finalOutcome });
    log.info({ outcome: finalOutcome }, 'run finished');
  }

  private async execute(request: AgentRequest, progress: ProgressTracker, signal: AbortSignal): Promise<RunEnd> {
    const outputs: string[] = [];
    try {
      if (request.planHash !== hashPlan(request.actions)) {
        throw new ToolError('plan_changed', 'The stored plan no longer matches what was approved; nothing was run.');
      }
      for (const action of request.actions) {
        signal.throwIfAborted();
        outputs.push(await this.runAction(request, action, progress, signal));
      }
      return { outcome: 'succeeded', output: outputs.join('\n'), error: null };
    } catch (error) {
      const cancelled = signal.aborted && !(error instanceof SwitchboardError);
      return { outcome: cancelled ? 'cancelled' : 'failed', output: outputs.join('\n'), error: cancelled ? null : describe(error) };
    }
  }

  private async runAction(
    request: AgentRequest,
    action: AgentRequest['actions'][number],
    progress: ProgressTracker,
    signal: AbortSignal,
  ): Promise<string> {
    const tool = this.deps.tools.find(action.tool, conversationOf(request.where));
    if (!tool) throw new ToolError('unknown_tool', `The tool "${action.tool}" is no longer available.`, { tool: action.tool });
    const args = tool.checkArgs(action.args);
    if (!args.ok) throw new ToolError('invalid_args', `${tool.name}: ${args.error}`, { tool: tool.name });
    const timeout = AbortSignal.timeout(this.deps.settings.actionTimeoutMs);
    const both = AbortSignal.any([signal, timeout]);
    try {
      const out = await tool.execute(args.args, { requestId: request.id, where: request.where, signal: both, step: (l) => progress.step(l) });
      return out.text;
    } catch (error) {
      if (timeout.aborted && !signal.aborted) {
        throw new ToolError('action_timeout', `${tool.name} took longer than ${this.deps.settings.actionTimeoutMs} ms.`, { tool: tool.name }, { cause: error });
      }
      throw error;
    }
  }

  /** Moves running → outcome; if a Cancel got there first, the run counts as cancelled. */
  private async settle(request: AgentRequest, outcome: Outcome): Promise<Outcome> {
    const moved = await this.deps.requests.transitionRequest(request.id, ['running'], outcome);
    if (moved) return outcome;
    const current = await this.deps.requests.getRequest(request.id);
    return current?.status === 'cancelled' ? 'cancelled' : outcome;
  }

  private async report(request: AgentRequest, end: RunEnd): Promise<void> {
    const posted = await this.deps.platforms
      .get(request.where.platform)
      .post(request.where, resultMessage(request, end.outcome, end.output, end.error))
      .catch((err: unknown) => {
        this.deps.log.warn({ err, requestId: request.id }, 'could not post the result');
        return null;
      });
    await this.deps.messages.appendMessage(resultRecord(request, end.outcome, end.output, end.error, posted?.messageId ?? null));
    const final = await this.deps.requests.getRequest(request.id);
    if (final) await this.service.refreshCard(final);
  }

  private watchForCancel(requestId: string, abort: AbortController): NodeJS.Timeout {
    return setInterval(() => {
      this.deps.requests
        .getRequest(requestId)
        .then((r) => {
          if (r?.status === 'cancelled') abort.abort(new Error('cancelled'));
        })
        .catch((err: unknown) => this.deps.log.warn({ err, requestId }, 'cancel check failed'));
    }, CANCEL_POLL_MS);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
