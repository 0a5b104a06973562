import type { AgentRun, RunOutcome } from '../model/agent-run';
import type { FeedbackMark } from '../model/card';
import { BOT_AUTHOR } from '../model/conversation';
import type { StoredMessage } from '../model/message';
import type { ToolCallRecord } from '../model/tool-call';
import type { PostedMessage } from '../ports/chat-platform';
import type { StepClaim } from '../ports/stores';
import type { WiredDeps } from '../core-deps';
import type { Background } from '../background';
import type { RequestCards } from '../approvals/request-cards';
import type { ProgressBoard } from './progress-board';

/** The error code of a run that ended because the bot may not post in its channel: its result is stored, never posted there. */
export const NOT_IN_CHANNEL = 'not_in_channel';

/** How a run ends: its outcome, why (when not plain), and its last message. */
export interface RunEnd {
  readonly status: RunOutcome;
  readonly errorCode: string | null;
  readonly text: string;
  /** The run's calls as the ending step knows them; read again when not given. */
  readonly calls?: readonly ToolCallRecord[];
  /** Shows the result where the step already began showing it (an answer streamed as written), or with what goes with it (a file), with 👍/👎 when given; otherwise it is posted. */
  readonly show?: (feedback?: FeedbackMark) => Promise<PostedMessage>;
}

/**
 * Ends runs and tells people. The run's end and its one result message are stored in one
 * statement; telling (the progress message's last state, the result posted, cancelled cards
 * edited) then goes through the paced outbound lane in the background, so the worker is free
 * for the next run at once. Telling is idempotent, so a later step or the sweep can finish it.
 */
export class RunEnding {
  constructor(
    private readonly deps: WiredDeps,
    private readonly cards: RequestCards,
    private readonly board: ProgressBoard,
    private readonly background: Background,
  ) {}

  /** Ends `run` (while `claim` holds, when given). False when this call did not end it. */
  async end(run: AgentRun, end: RunEnd, claim?: StepClaim): Promise<boolean> {
    const ended = await this.deps.runs.endRun(run.id, {
      claim,
      status: end.status,
      errorCode: end.errorCode,
      result: {
        where: run.where,
        platformMessageId: null,
        author: BOT_AUTHOR,
        role: 'assistant',
        type: 'agent_result',
        text: end.text,
        metadata: { runId: run.id, outcome: end.status, errorCode: end.errorCode, usage: run.usage, ...(modelAnswered(run, end) && { feedback: true }) },
      },
    });
    if (!ended) return false;
    const { run: over, result } = ended;
    this.countEnd(over);
    this.deps.log.info({ runId: run.id, traceId: over.traceId, status: over.status, errorCode: end.errorCode, turns: over.turns, toolCalls: over.toolCalls, tokens: over.usage.totalTokens }, 'run ended');
    this.background.start('telling how a run ended', () => this.tell(over, result, end));
    return true;
  }

  /** Counts an ended run (its status is then its outcome) from its start, by its row's times. */
  private countEnd(run: AgentRun): void {
    const outcome = run.errorCode === 'interrupted' ? 'interrupted' : (run.status as RunOutcome);
    const ms = (run.endedAt ?? this.deps.clock.now()).getTime() - run.createdAt.getTime();
    this.deps.metrics.runEnded({ platform: run.where.platform, outcome, ms });
  }

  /** Posts (or ends showing) a stored result not posted yet, unless the bot may not post there; a refusal is logged (the sweep tries again for a while). */
  async deliver(result: StoredMessage, show?: RunEnd['show']): Promise<void> {
    if (result.platformMessageId || result.metadata.errorCode === NOT_IN_CHANNEL) return;
    try {
      // A model's answer carries 👍/👎 naming its row.
      const feedback: FeedbackMark | undefined = result.metadata.feedback === true ? { messageId: result.id } : undefined;
      const post = () => this.deps.platforms.get(result.where.platform).post(result.where, { text: result.text, ...(feedback && { feedback }) });
      const posted = await (show ? show(feedback) : post());
      await this.deps.messages.setPlatformMessageId(result.id, posted.messageId);
    } catch (err) {
      this.deps.log.error({ err, messageId: result.id }, 'could not post the result');
    }
  }

  /**
   * The result first: it is what people wait for, and the channel's budget may hold the
   * progress message's last edit a moment. Nothing is read again that the ending step knew.
   */
  private async tell(run: AgentRun, result: StoredMessage, { calls: known, show }: RunEnd): Promise<void> {
    await this.deliver(result, show);
    // Answered by the model, the thread may go on; any other ending closes it.
    this.deps.sessions.show(run.where, run.status === 'succeeded' ? 'active' : 'closed');
    const progress = this.board.opened(run.id) ?? ((await this.deps.runs.findRunMessage(run.id, 'agent_progress')) ? this.board.of(run) : null);
    if (progress) {
      this.board.release(run.id);
      const calls = known ?? (await this.deps.runs.transcript(run.id)).calls;
      await (await progress).finish(calls);
    }
    // A run that succeeded had no gate left open; any other ending may have cancelled one.
    if (run.status === 'succeeded') return;
    const requests = await this.deps.requests.requestsOfRuns([run.id]);
    for (const request of requests.filter((r) => r.status === 'cancelled')) {
      // Cancelled with this run's end, which happens once: each is counted once.
      this.deps.metrics.requestEnded({ platform: request.where.platform, outcome: 'cancelled' });
      await this.cards.refresh(request);
    }
  }
}

/** An agent run succeeds only with the model's last word (run-stepper's answer); that answer asks for feedback. */
function modelAnswered(run: AgentRun, end: RunEnd): boolean {
  return run.kind === 'agent' && end.status === 'succeeded';
}
