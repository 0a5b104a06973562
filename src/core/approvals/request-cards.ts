import type { Logger } from '../../logging/logger';
import type { AgentRequest } from '../model/agent-request';
import type { OutboundMessage } from '../model/card';
import { BOT_AUTHOR, conversationOf } from '../model/conversation';
import type { PlatformDirectory } from '../ports/platforms';
import type { RequestStore } from '../ports/stores';
import type { ToolCatalog } from '../ports/tools';
import { requestCard } from './request-card';
import { showCalls } from './show-calls';

/** Posts request cards and keeps them in step with their requests. */
export class RequestCards {
  constructor(private readonly deps: { platforms: PlatformDirectory; requests: RequestStore; tools: ToolCatalog; log: Logger }) {}

  card(request: AgentRequest): OutboundMessage {
    return requestCard({ request, calls: showCalls(request.calls, this.deps.tools, conversationOf(request.where)) });
  }

  /**
   * Posts the card of a stored request, then stores the card with the platform's id (a click
   * must come from that message). Throws the platform's refusal: the caller then ends the run,
   * so no request is ever left without a card anyone can see.
   */
  async post(request: AgentRequest): Promise<AgentRequest> {
    const card = this.card(request);
    const posted = await this.deps.platforms.get(request.where.platform).post(request.where, card);
    await this.deps.requests.recordCard(request.id, {
      where: request.where,
      platformMessageId: posted.messageId,
      author: BOT_AUTHOR,
      role: 'assistant',
      type: 'agent_request',
      text: card.text,
      metadata: { requestId: request.id, runId: request.runId },
    });
    return { ...request, cardMessageId: posted.messageId };
  }

  /** Edits the card to the request's current state. Failures are logged: the state in Postgres is the truth. */
  async refresh(request: AgentRequest): Promise<void> {
    if (!request.cardMessageId) return;
    const card = this.card(request);
    try {
      await this.deps.requests.recordCardText(request.id, card.text);
      await this.deps.platforms.get(request.where.platform).update({ where: request.where, messageId: request.cardMessageId }, card);
    } catch (err) {
      this.deps.log.warn({ err, requestId: request.id, status: request.status }, 'could not update the request card');
    }
  }
}
