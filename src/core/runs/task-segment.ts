import type { Logger } from '../../logging/logger';
import type { AgentRun } from '../model/agent-run';
import { conversationOf } from '../model/conversation';
import { CALL_ENDS, type ToolCallRecord } from '../model/tool-call';
import type { AnswerStream, ChatPlatform, PostedMessage, TaskCard, TaskStream } from '../ports/chat-platform';
import type { ToolCatalog } from '../ports/tools';
import type { SubStep } from './progress-view';
import { taskCards } from './task-cards';

/**
 * A run's progress as task cards in one stream, from a step that opened it to where it stops
 * (a card to wait at, or the run's end): the calls this step sees going, each a card that
 * follows its call, then the run's answer. Calls that had ended before this stream began were
 * shown in an earlier one and are not shown again.
 */
export class TaskSegment {
  /** The calls already ended when this stream first showed anything. */
  private earlier: ReadonlySet<string> | null = null;
  private readonly cardLinks = new Map<string, string>();
  private ended = false;
  /** The cards last shown, and the stream's first message then: a state already shown costs no call (nor a wait in the channel's lane). */
  private last: { readonly cards: string; readonly first: PostedMessage | null } | null = null;

  constructor(
    private readonly stream: TaskStream,
    private readonly run: AgentRun,
    private readonly platform: ChatPlatform,
    private readonly deps: { readonly tools: ToolCatalog; readonly log: Logger },
  ) {}

  /** Shows the calls' states; the stream's first message once it shows something. */
  async show(calls: readonly ToolCallRecord[], subSteps: ReadonlyMap<string, readonly SubStep[]>): Promise<PostedMessage | null> {
    if (this.ended) return null;
    const cards = this.cards(calls, subSteps);
    if (cards.length === 0) return null;
    const json = JSON.stringify(cards);
    if (this.last?.cards === json) return this.last.first;
    const first = await this.stream.show(cards);
    this.last = { cards: json, first };
    return first;
  }

  /** The cards of the calls this stream shows: not those that had ended before it began. */
  private cards(calls: readonly ToolCallRecord[], subSteps: ReadonlyMap<string, readonly SubStep[]>): TaskCard[] {
    this.earlier ??= new Set(calls.filter((c) => CALL_ENDS.has(c.status)).map((c) => c.id));
    const shown = calls.filter((c) => !this.earlier!.has(c.id));
    return taskCards(shown, { tools: this.deps.tools, scope: conversationOf(this.run.where), subSteps, cardLinks: this.cardLinks });
  }

  /** Points the calls waiting at this card to it, where the platform gives links to messages. */
  async noteCard(requestId: string, card: PostedMessage): Promise<void> {
    try {
      const link = await this.platform.permalink?.(card);
      if (link) this.cardLinks.set(requestId, link);
    } catch (err) {
      this.deps.log.debug({ err, requestId }, 'no link to the card');
    }
  }

  /** The run's words after its tasks, the stream's end bringing the cards to the calls' last states (`lastCalls()`). */
  answer(lastCalls: () => readonly ToolCallRecord[], subSteps: ReadonlyMap<string, readonly SubStep[]>): AnswerStream {
    const words = this.stream.answer(() => this.cards(lastCalls(), subSteps));
    return {
      show: (textSoFar) => words.show(textSoFar),
      finish: (wholeText, feedback) => {
        this.ended = true;
        return words.finish(wholeText, feedback);
      },
    };
  }

  /** Ends the stream; nothing more is shown in it. */
  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.stream.close();
  }
}
