import type { Logger } from '../../logging/logger';
import type { AgentRequest } from '../model/agent-request';
import type { AgentRun } from '../model/agent-run';
import type { PlatformDirectory } from '../ports/platforms';
import type { StepClaim } from '../ports/stores';
import { userFacingMessage } from '../user-facing-error';
import type { RequestCards } from '../approvals/request-cards';
import { NOT_IN_CHANNEL, type RunEnding } from '../runs/run-ending';
import { stoppedText } from '../runs/result-text';
import type { ThreadSessions } from '../thread-sessions';
import { toldNotInChannel } from './not-in-channel';

/**
 * Posts a gate's approval card, after which the thread's session is `suspended` (it waits for
 * a person). A card the platform refuses ends its run (the pending request with it) and says
 * why: no request is ever left without a card anyone can see.
 */
export class GatePoster {
  constructor(private readonly parts: { cards: RequestCards; ending: RunEnding; platforms: PlatformDirectory; sessions: ThreadSessions }) {}

  /** The request with its card once posted; the platform's error when the run ended instead (while `claim` holds, when given). */
  async post(run: AgentRun, request: AgentRequest, log: Logger, claim?: StepClaim): Promise<{ posted: AgentRequest } | { error: unknown }> {
    try {
      const posted = await this.parts.cards.post(request);
      log.info({ requestId: request.id, cardMessageId: posted.cardMessageId }, 'approval card posted');
      this.parts.sessions.show(run.where, 'suspended');
      return { posted };
    } catch (error) {
      log.warn({ err: error, requestId: request.id }, 'could not post the approval card; the run ends');
      const text = stoppedText('failed', `I could not post the approval card: ${userFacingMessage(error)} Nothing was run.`, null);
      // Where the bot may not post, the person hears it privately and the ending is only stored (see RunEnding).
      const errorCode = (await toldNotInChannel(this.parts.platforms, run.where, run.requestedBy.id, error, log)) ? NOT_IN_CHANNEL : 'card_not_posted';
      await this.parts.ending.end(run, { status: 'failed', errorCode, text }, claim);
      return { error };
    }
  }
}
