import { PlatformLimitError } from '../errors';
import { DENY_WITH_REASON_ACTION, EDIT_ACTION } from '../model/action-ids';
import type { AgentRequest } from '../model/agent-request';
import { text } from '../model/card';
import { conversationOf, type Person } from '../model/conversation';
import { MAX_FORM_FIELDS, type Form } from '../model/form';
import type { PrivateReply } from '../ports/chat-platform';
import type { CoreDeps } from '../core-deps';
import { parseJsonObject } from '../text/json-object';
import { truncate } from '../text/truncate';
import type { DecisionOrigin } from './decision-origin';
import { mayDecide } from './decision-policy';
import { MAX_REASON_CHARS, type RequestDecisions } from './request-decisions';
import type { RequestCards } from './request-cards';
import { showCalls } from './show-calls';
import { canonicalJson, hashPlan } from './shown-plan';

/** The form field a deny reason comes back under. */
export const REASON_FIELD = 'reason';

/** A field label on every platform (Discord allows 45 characters). */
const LABEL_CHARS = 45;

/**
 * The forms a card's buttons open: a reason for a denial, and the calls' arguments to edit.
 * An edit is checked against each tool's schema, changes the plan's hash (so an Approve
 * pressed on the card as it was fails) and redraws the card, which then needs a decision
 * like any other.
 */
export class RequestForms {
  constructor(
    private readonly deps: CoreDeps,
    private readonly decisions: RequestDecisions,
    private readonly cards: RequestCards,
  ) {}

  /** The form a click opens, or null when it may not open one (the why is already answered). */
  async open(actionId: string, requestId: string, user: Person, origin: DecisionOrigin, reply: PrivateReply): Promise<Form | null> {
    const checked = await this.decisions.check(requestId, user, origin, reply);
    if (!checked) return null;
    if (actionId === DENY_WITH_REASON_ACTION) {
      // Refused before the form opens: someone who may not deny should not type a reason only to be told so.
      const verdict = mayDecide(checked.request, 'denied', user, checked.approver, checked.policy);
      if (!verdict.allowed) {
        await reply(text(verdict.why));
        return null;
      }
      return { title: 'Deny the request', submitLabel: 'Deny', fields: [{ id: REASON_FIELD, label: 'Why? (the agent reads this)', multiline: true, required: false, maxLength: MAX_REASON_CHARS }] };
    }
    if (actionId !== EDIT_ACTION) return null;
    if (!this.mayEdit(checked.request, user, checked.approver)) {
      await reply(text('Only the requester or an approver can edit this request.'));
      return null;
    }
    return editForm(checked.request);
  }

  /** An edit form came back: checks each call's new arguments, then replaces them and redraws the card. */
  async submitEdit(requestId: string, user: Person, origin: DecisionOrigin, values: Readonly<Record<string, string>>, reply: PrivateReply): Promise<void> {
    const checked = await this.decisions.check(requestId, user, origin, reply);
    if (!checked) return;
    const { request } = checked;
    if (!this.mayEdit(request, user, checked.approver)) return reply(text('Only the requester or an approver can edit this request.'));
    const edits = this.checkEdits(request, values);
    if ('problem' in edits) return reply(text(`Nothing was changed: ${edits.problem}`));
    const scope = conversationOf(request.where);
    const calls = request.calls.map((c) => ({ ...c, args: edits.byId.get(c.id) ?? c.args }));
    const shown = showCalls(calls, this.deps.tools, scope);
    const planHash = hashPlan(shown);
    if (planHash === request.planHash) return reply(text('Nothing was changed: the arguments are the same.'));
    const fits = this.fits({ ...request, calls, planHash });
    if (fits) return reply(text(`Nothing was changed: ${fits}`));
    const edited = await this.deps.requests.editRequest(request.id, [...edits.byId].map(([callRecordId, args]) => ({ callRecordId, args })), request.planHash, planHash);
    if (!edited) return reply(text('Nothing was changed: the request was decided or edited meanwhile.'));
    this.deps.log.info({ requestId: request.id, traceId: request.traceId, userId: user.id, planHash }, 'request edited');
    await this.cards.refresh(edited);
    await reply(text('Edited: the card shows the new arguments, and it needs a decision again.'));
  }

  private mayEdit(request: AgentRequest, user: Person, approver: boolean): boolean {
    return approver || request.requestedBy.id === user.id;
  }

  /** The new arguments by call record id, each a JSON object its tool accepts; or the first problem, in the tool's words. */
  private checkEdits(request: AgentRequest, values: Readonly<Record<string, string>>): { byId: Map<string, Record<string, unknown>> } | { problem: string } {
    const byId = new Map<string, Record<string, unknown>>();
    for (const [i, call] of request.calls.entries()) {
      const raw = values[call.id];
      if (raw === undefined) continue;
      const name = `call ${i + 1} (${call.tool})`;
      const args = parseJsonObject(raw);
      if (!args) return { problem: `the arguments of ${name} are not a JSON object.` };
      const tool = this.deps.tools.find(call.tool, conversationOf(request.where));
      if (!tool) return { problem: `${call.tool} is no longer available here.` };
      const checked = tool.checkArgs(args);
      if (!checked.ok) return { problem: `the arguments of ${name} are invalid: ${checked.error}` };
      byId.set(call.id, checked.args);
    }
    return { byId };
  }

  private fits(request: AgentRequest): string | null {
    try {
      this.deps.platforms.get(request.where.platform).validate(this.cards.card(request));
      return null;
    } catch (error) {
      if (error instanceof PlatformLimitError) return `the card could not show the new arguments in full (${error.message}).`;
      throw error;
    }
  }
}

function editForm(request: AgentRequest): Form {
  const fields = request.calls.slice(0, MAX_FORM_FIELDS).map((call, i) => ({
    id: call.id,
    label: truncate(`${request.calls.length > 1 ? `${i + 1}. ` : ''}${call.tool} arguments (JSON)`, LABEL_CHARS),
    initial: canonicalJson(call.args ?? {}),
    multiline: true,
    required: true,
    maxLength: 4000,
  }));
  return { title: 'Edit the calls', submitLabel: 'Save', fields };
}
