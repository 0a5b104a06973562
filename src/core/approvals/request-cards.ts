import type { Logger } from '../../logging/logger';
import type { AgentRequest } from '../model/agent-request';
import type { OutboundMessage } from '../model/card';
import { BOT_AUTHOR, conversationOf } from '../model/conversation';
import type { PlatformDirectory } from '../ports/platforms';
import type { RequestStore } from '../ports/stores';
import type { ToolCatalog } from '../ports/tools';
import { allowableTool } from '../policy/allowable-tool';
import { requestCard } from './request-card';
import { showCalls } from './show-calls';

/** What RequestCards needs; `changed` hears of every card posted or refreshed (the inbox, approver notices). */
export interface RequestCardsDeps {
  readonly platforms: PlatformDirectory;
  readonly requests: RequestStore;
  readonly tools: ToolCatalog;
  readonly log: Logger;
  /** Called, without being awaited, once a card is posted or edited to its request's new state. Must not throw. */
  readonly changed?: (request: AgentRequest, how: 'posted' | 'refreshed') => void;
}

/** Posts request cards and keeps them in step with their requests. */
export class RequestCards {
  constructor(private readonly deps: RequestCardsDeps) {}

  card(request: AgentRequest): OutboundMessage {
    const calls = showCalls(request.calls, this.deps.tools, conversationOf(request.where));
    return requestCard({ request, calls, allowHere: allowableTool(request, this.deps.tools) !== null });
  }

  /**
   * Posts the card of a stored request, then stores the card with the platform's id (a click
   * must come from that message). A click carrying the card's token may have decided (or an
   * edit changed) the request in between: the card is then edited to show it as it stands.
   * Throws the platform's refusal: the caller then ends the run, so no request is ever left
   * without a card anyone can see.
   */
  async post(request: AgentRequest): Promise<AgentRequest> {
    const card = this.card(request);
    const posted = await this.deps.platforms.get(request.where.platform).post(request.where, card);
    const stands = await this.deps.requests.recordCard(request.id, {
      where: request.where,
      platformMessageId: posted.messageId,
      author: BOT_AUTHOR,
      role: 'assistant',
      type: 'agent_request',
      text: card.text,
      metadata: { requestId: request.id, runId: request.runId },
    });
    const changed = stands && (stands.status !== request.status || stands.planHash !== request.planHash) ? await this.deps.requests.getRequest(request.id) : null;
    if (changed) {
      await this.refresh(changed);
      return changed;
    }
    const withCard = { ...request, cardMessageId: posted.messageId };
    this.deps.changed?.(withCard, 'posted');
    return withCard;
  }

  /** Edits the card to the request's current state. Failures are logged: the state in Postgres is the truth. */
  async refresh(request: AgentRequest): Promise<void> {
    return this.show(request, true);
  }

  /** Edits the card to its request's state, whose text a decision has already stored with it. */
  async showDecided(request: AgentRequest): Promise<void> {
    return this.show(request, false);
  }

  private async show(request: AgentRequest, store: boolean): Promise<void> {
    if (!request.cardMessageId) return;
    const card = this.card(request);
    try {
      if (store) await this.deps.requests.recordCardText(request.id, card.text);
      await this.deps.platforms.get(request.where.platform).update({ where: request.where, messageId: request.cardMessageId }, card);
    } catch (err) {
      this.deps.log.warn({ err, requestId: request.id, status: request.status }, 'could not update the request card');
    }
    this.deps.changed?.(request, 'refreshed');
  }
}
