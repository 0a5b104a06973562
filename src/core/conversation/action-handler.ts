import { text } from '../model/card';
import { conversationOf } from '../model/conversation';
import type { IncomingAction } from '../model/incoming';
import type { PrivateReply } from '../ports/chat-platform';
import type { CoreDeps } from '../core-deps';
import { confirmClear } from './commands/context-command';
import {
  APPROVE_ACTION,
  CANCEL_ACTION,
  CLEAR_CONTEXT_CANCEL_ACTION,
  CLEAR_CONTEXT_CONFIRM_ACTION,
  DENY_ACTION,
} from '../model/action-ids';
import { isApprover } from '../requests/decision-policy';
import type { RequestService } from '../requests/request-service';
import { userFacingMessage } from './user-facing-error';

/** A click, decoded: what it asks for, with the data it carries. */
export type ParsedAction =
  | { readonly kind: 'decide'; readonly requestId: string; readonly decision: 'approved' | 'denied' }
  | { readonly kind: 'cancel'; readonly requestId: string }
  | { readonly kind: 'clear_confirm'; readonly token: string }
  | { readonly kind: 'clear_cancel' };

/** Says whether a click is ours and decodes it; never does work. */
export function parseAction(action: Pick<IncomingAction, 'actionId' | 'value'>): ParsedAction | null {
  switch (action.actionId) {
    case APPROVE_ACTION:
      return { kind: 'decide', requestId: action.value, decision: 'approved' };
    case DENY_ACTION:
      return { kind: 'decide', requestId: action.value, decision: 'denied' };
    case CANCEL_ACTION:
      return { kind: 'cancel', requestId: action.value };
    case CLEAR_CONTEXT_CONFIRM_ACTION:
      return { kind: 'clear_confirm', token: action.value };
    case CLEAR_CONTEXT_CANCEL_ACTION:
      return { kind: 'clear_cancel' };
    default:
      return null;
  }
}

/** Runs a decoded click. Errors end in a private answer to the clicker, never a crash. */
export class ActionHandler {
  constructor(
    private readonly deps: CoreDeps,
    private readonly requests: RequestService,
  ) {}

  async handle(action: IncomingAction, reply: PrivateReply): Promise<void> {
    const parsed = parseAction(action);
    if (!parsed) {
      this.deps.log.warn({ actionId: action.actionId }, 'unknown action ignored');
      return reply(text('That button is not one of mine any more.'));
    }
    try {
      await this.run(parsed, action, reply);
    } catch (err) {
      this.deps.log.error({ err, actionId: action.actionId }, 'action failed');
      await reply(text(userFacingMessage(err)));
    }
  }

  private async run(parsed: ParsedAction, action: IncomingAction, reply: PrivateReply): Promise<void> {
    switch (parsed.kind) {
      case 'decide':
        return this.requests.decide(parsed.requestId, parsed.decision, action.user, reply);
      case 'cancel':
        return this.requests.cancel(parsed.requestId, action.user, reply);
      case 'clear_cancel':
        return reply(text('Kept everything.'));
      case 'clear_confirm':
        return confirmClear({ where: action.where, user: action.user, token: parsed.token, allowed: await this.mayClear(action) }, this.deps, reply);
    }
  }

  private async mayClear(action: IncomingAction): Promise<boolean> {
    if (this.deps.settings.contextClearAllowed === 'anyone') return true;
    const { policy } = this.deps.settings;
    const authority = await this.deps.platforms
      .get(action.where.platform)
      .authority(conversationOf(action.where), action.user.id, policy.approvers);
    return isApprover(action.user, authority, policy);
  }
}
