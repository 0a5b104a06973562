import type { WiredDeps } from '../core-deps';
import { text } from '../model/card';
import { conversationOf } from '../model/conversation';
import type { IncomingAction } from '../model/incoming';
import type { PrivateReply } from '../ports/chat-platform';
import type { RequestDecisions } from '../approvals/request-decisions';
import { allowableTool } from '../policy/allowable-tool';
import { NOT_POLICY_ADMIN, type PolicyBook } from '../policy/policy-book';
import { alwaysAllowedNotice, undoneNotice } from '../policy/policy-text';

/** The click on "Always allow here": the request it was on, and the plan and token its card showed. */
export interface AllowClick {
  readonly requestId: string;
  readonly planHash: string | null;
  readonly cardToken: string | null;
}

/**
 * "Always allow here" and its Undo (docs/policy.md). The button is on every card it could
 * apply to, seen by the whole channel; only someone who may set policy gets anything from a
 * click, anyone else is refused privately. One click approves the request through the usual
 * decision (once, however many clicks) and, when that decision is the one taken, writes the
 * channel rule `run=auto` and tells the thread, with an Undo that removes the rule.
 */
export class AlwaysAllow {
  constructor(
    private readonly deps: Pick<WiredDeps, 'requests' | 'tools' | 'platforms' | 'log'>,
    private readonly parts: { book: PolicyBook; decisions: RequestDecisions },
  ) {}

  async allow(click: AllowClick, action: IncomingAction, reply: PrivateReply): Promise<void> {
    if (!(await this.admitted(action, reply))) return;
    const request = await this.deps.requests.getRequest(click.requestId);
    const tool = request && allowableTool(request, this.deps.tools);
    if (!request || !tool) return reply(text('"Always allow here" is only for a request of one tool that is not destructive.'));
    const origin = { via: 'click' as const, where: action.where, messageId: action.messageId, cardToken: click.cardToken };
    const won = await this.parts.decisions.decide({ requestId: request.id, decision: 'approved', user: action.user, origin, shownPlanHash: click.planHash, byPolicyAdmin: true }, reply);
    if (!won) return;
    await this.parts.book.allowHere(tool, action.user, conversationOf(request.where));
    await this.deps.platforms.get(request.where.platform).post(request.where, alwaysAllowedNotice(action.user, tool));
  }

  async undo(tool: string, action: IncomingAction, reply: PrivateReply): Promise<void> {
    if (!(await this.admitted(action, reply))) return;
    if (!(await this.parts.book.undoHere(tool, action.user, conversationOf(action.where), reply))) return;
    await this.deps.platforms.get(action.where.platform).update({ where: action.where, messageId: action.messageId }, undoneNotice(action.user, tool));
  }

  /** Whether the clicker may set policy; anyone else is refused privately, and the attempt logged. */
  private async admitted(action: IncomingAction, reply: PrivateReply): Promise<boolean> {
    if (await this.parts.book.mayManage(action.user, conversationOf(action.where))) return true;
    this.deps.log.warn({ userId: action.user.id, actionId: action.actionId }, 'policy click from someone who may not set policy refused');
    await reply(text(NOT_POLICY_ADMIN));
    return false;
  }
}
