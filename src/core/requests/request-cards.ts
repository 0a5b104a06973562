import type { AgentRequest } from '../model/agent-request';
import type { OutboundMessage } from '../model/card';
import type { CoreDeps } from '../core-deps';
import { describeWith } from './describe-action';
import { requestCard } from './request-card';

/** Draws a request's card and edits the posted one to match the request's state. */
export class RequestCards {
  constructor(private readonly deps: Pick<CoreDeps, 'platforms' | 'tools' | 'log'>) {}

  card(request: AgentRequest): OutboundMessage {
    return requestCard(request, describeWith(this.deps.tools, request.where));
  }

  /** Edits the card to the request's current state. Failures are logged: the state in Postgres is the truth. */
  async refresh(request: AgentRequest): Promise<void> {
    if (!request.cardMessageId) return;
    try {
      await this.deps.platforms.get(request.where.platform).update({ where: request.where, messageId: request.cardMessageId }, this.card(request));
    } catch (err) {
      this.deps.log.warn({ err, requestId: request.id, status: request.status }, 'could not update the request card');
    }
  }
}
