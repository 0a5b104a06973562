import { text } from '../model/card';
import { conversationOf } from '../model/conversation';
import type { Form } from '../model/form';
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
  DENY_WITH_REASON_ACTION,
  EDIT_ACTION,
  FEEDBACK_ACTION,
  ALWAYS_ALLOW_ACTION,
  UNDO_RULE_ACTION,
} from '../model/action-ids';
import { parseFeedbackValue, type FeedbackRating } from '../model/feedback';
import { rateAnswer } from '../feedback/rate-answer';
import type { DecisionOrigin, PlacedOrigin } from '../approvals/decision-origin';
import { isApprover } from '../approvals/decision-policy';
import { parseRequestValue } from '../approvals/request-card';
import type { RequestDecisions } from '../approvals/request-decisions';
import { REASON_FIELD, type RequestForms } from '../approvals/request-forms';
import type { RunCancel } from '../runs/run-cancel';
import type { AlwaysAllow } from './always-allow-clicks';
import { userFacingMessage } from '../user-facing-error';

/** A click on a request's button: the request, and the card token the button carried (null off the card). */
interface RequestClick {
  readonly requestId: string;
  readonly cardToken: string | null;
}

/** A click (or the form it opened), decoded: what it asks for, with the data it carries. */
export type ParsedAction =
  | ({ readonly kind: 'approve'; readonly planHash: string | null } & RequestClick)
  | ({ readonly kind: 'deny' } & RequestClick)
  | ({ readonly kind: 'deny_reason' } & RequestClick)
  | ({ readonly kind: 'edit' } & RequestClick)
  | { readonly kind: 'cancel'; readonly runId: string }
  | { readonly kind: 'clear_confirm'; readonly token: string }
  | { readonly kind: 'clear_cancel' }
  | { readonly kind: 'feedback'; readonly messageId: string; readonly rating: FeedbackRating }
  | ({ readonly kind: 'always_allow'; readonly planHash: string | null } & RequestClick)
  | { readonly kind: 'undo_rule'; readonly tool: string };

/** Says whether a click is ours and decodes it; never does work. */
export function parseAction(action: Pick<IncomingAction, 'actionId' | 'value'>): ParsedAction | null {
  switch (action.actionId) {
    case APPROVE_ACTION:
      return { kind: 'approve', ...parseRequestValue(action.value) };
    case DENY_ACTION:
      return { kind: 'deny', ...requestClick(action.value) };
    case DENY_WITH_REASON_ACTION:
      return { kind: 'deny_reason', ...requestClick(action.value) };
    case EDIT_ACTION:
      return { kind: 'edit', ...requestClick(action.value) };
    case CANCEL_ACTION:
      return { kind: 'cancel', runId: action.value };
    case CLEAR_CONTEXT_CONFIRM_ACTION:
      return { kind: 'clear_confirm', token: action.value };
    case CLEAR_CONTEXT_CANCEL_ACTION:
      return { kind: 'clear_cancel' };
    case ALWAYS_ALLOW_ACTION:
      return { kind: 'always_allow', ...parseRequestValue(action.value) };
    case UNDO_RULE_ACTION:
      return { kind: 'undo_rule', tool: action.value };
    case FEEDBACK_ACTION: {
      const rated = parseFeedbackValue(action.value);
      return rated && { kind: 'feedback', ...rated };
    }
    default:
      return null;
  }
}

/** A Deny, Deny with reason or Edit button's value; only Approve carries a plan. */
function requestClick(value: string): RequestClick {
  const { requestId, cardToken } = parseRequestValue(value);
  return { requestId, cardToken };
}

/** What a click needs from the core. */
export interface ActionParts {
  readonly decisions: RequestDecisions;
  readonly forms: RequestForms;
  readonly cancel: RunCancel;
  readonly policy: AlwaysAllow;
}

/** Runs a decoded click. Errors end in a private answer to the clicker, never a crash. */
export class ActionHandler {
  constructor(
    private readonly deps: CoreDeps,
    private readonly parts: ActionParts,
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

  /** The form a click opens (deny with a reason, edit), or null when it opens none (the why answered privately). */
  async openForm(action: IncomingAction, reply: PrivateReply): Promise<Form | null> {
    const parsed = parseAction(action);
    if (parsed?.kind !== 'deny_reason' && parsed?.kind !== 'edit') return null;
    try {
      return await this.parts.forms.open(action.actionId, parsed.requestId, action.user, originOf(action, parsed.cardToken), reply);
    } catch (err) {
      this.deps.log.error({ err, actionId: action.actionId }, 'could not open a form');
      await reply(text(userFacingMessage(err)));
      return null;
    }
  }

  private async run(parsed: ParsedAction, action: IncomingAction, reply: PrivateReply): Promise<unknown> {
    const { user } = action;
    const origin = originOf(action, 'cardToken' in parsed ? parsed.cardToken : null);
    switch (parsed.kind) {
      case 'approve':
        return this.parts.decisions.decide({ requestId: parsed.requestId, decision: 'approved', user, origin, shownPlanHash: parsed.planHash }, reply);
      case 'deny':
        return this.parts.decisions.decide({ requestId: parsed.requestId, decision: 'denied', user, origin }, reply);
      case 'deny_reason':
        if (!action.form) return reply(text('Use the button to give a reason; it opens a form.'));
        return this.parts.decisions.decide({ requestId: parsed.requestId, decision: 'denied', user, origin, reason: action.form[REASON_FIELD] ?? null }, reply);
      case 'edit':
        if (!action.form) return reply(text('Use the button to edit; it opens a form.'));
        return this.parts.forms.submitEdit(parsed.requestId, user, origin, action.form, reply);
      case 'cancel':
        return this.parts.cancel.cancel(parsed.runId, user, clickOrigin(action), reply);
      case 'clear_cancel':
        return reply(text('Kept everything.'));
      case 'clear_confirm':
        return confirmClear({ where: action.where, user, token: parsed.token, allowed: await this.mayClear(action) }, this.deps, reply);
      case 'always_allow':
        return this.parts.policy.allow(parsed, action, reply);
      case 'undo_rule':
        return this.parts.policy.undo(parsed.tool, action, reply);
      case 'feedback':
        return rateAnswer(this.deps, { where: action.where, user, messageId: parsed.messageId, rating: parsed.rating }, reply);
    }
  }

  private async mayClear(action: IncomingAction): Promise<boolean> {
    if (this.deps.settings.contextClearAllowed === 'anyone') return true;
    const { policy } = this.deps.settings;
    const authority = await this.deps.platforms.get(action.where.platform).authority(conversationOf(action.where), action.user.id, policy.approvers);
    return isApprover(action.user, authority, policy);
  }
}

/**
 * An inbox click when the adapter vouches the button was on the clicker's own private surface;
 * otherwise a click on a message, with the card token its button carried.
 */
function originOf(action: IncomingAction, cardToken: string | null): DecisionOrigin {
  if (!action.privateSurface) return clickOrigin(action, cardToken);
  return { via: 'inbox', owner: action.user.id, platform: action.where.platform, workspace: action.privateSurface.workspace };
}

function clickOrigin(action: IncomingAction, cardToken: string | null = null): PlacedOrigin {
  return { via: 'click', where: action.where, messageId: action.messageId, cardToken };
}
