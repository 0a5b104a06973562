import type { Logger } from '../../logging/logger';
import type { StoredMessage } from '../model/message';
import type { AssistantThreadDisplay } from '../ports/inbound';
import type { AssistantThreadStore } from '../ports/stores';
import { titleOf } from '../thread-sessions';

/**
 * What a turn in an assistant thread shows around its answer: "thinking" from the moment its
 * message is stored, a title from the thread's first question (claimed in Postgres, so one
 * replica sets it once), and "thinking" cleared when the turn ends, answered or not (Slack
 * clears it on the bot's reply; a turn that failed without one must not leave it spinning).
 * A display that fails is logged and never stops the answer.
 */
export class AssistantThreadTurns {
  constructor(private readonly store: AssistantThreadStore) {}

  /** Resolves once the thread shows "thinking" (or failed to) and its title is settled. */
  async begin(message: StoredMessage, display: AssistantThreadDisplay, log: Logger): Promise<void> {
    await Promise.all([
      quietly(() => display.showThinking(true), 'could not show the thinking status', log),
      quietly(() => this.title(message, display), 'could not title the assistant thread', log),
    ]);
  }

  /** Clears "thinking"; never rejects. */
  end(display: AssistantThreadDisplay, log: Logger): Promise<void> {
    return quietly(() => display.showThinking(false), 'could not clear the thinking status', log);
  }

  private async title(message: StoredMessage, display: AssistantThreadDisplay): Promise<void> {
    if (!(await this.store.claimOnce(message.where, 'title'))) return;
    await display.setTitle(titleOf(message.text));
  }
}

async function quietly(work: () => Promise<void>, what: string, log: Logger): Promise<void> {
  try {
    await work();
  } catch (err) {
    log.warn({ err }, what);
  }
}
