import { APPROVE_ACTION, DENY_ACTION, DENY_WITH_REASON_ACTION, EDIT_ACTION } from '../model/action-ids';
import type { AgentRequest, RequestStatus } from '../model/agent-request';
import type { Button, Card, CardElement, OutboundMessage } from '../model/card';
import { MAX_FORM_FIELDS } from '../model/form';
import { truncate } from '../text/truncate';
import type { ShownCall } from './shown-plan';

/** What a card needs besides the request: each gated call as it is shown. */
export interface CardInput {
  readonly request: Pick<AgentRequest, 'id' | 'summary' | 'destructive' | 'status' | 'requestedBy' | 'decidedBy' | 'reason' | 'expiresAt' | 'planHash'>;
  readonly calls: readonly ShownCall[];
}

const by = (r: CardInput['request']) => r.decidedBy?.name ?? 'someone';

const STATUS_LINE: Record<Exclude<RequestStatus, 'pending'>, (r: CardInput['request']) => string> = {
  approved: (r) => `✅ Approved by ${by(r)}`,
  denied: (r) => `🚫 Denied by ${by(r)}${r.reason ? `: ${truncate(r.reason, 300)}` : ''}`,
  expired: () => '⌛ Expired before anyone decided; nothing ran',
  cancelled: () => '⏹️ Cancelled; nothing ran',
};

/** The Approve button's value: the request and the plan it shows, so an approval of an edited card's old version fails. */
export function approveValue(request: Pick<AgentRequest, 'id' | 'planHash'>): string {
  return `${request.id}.${request.planHash}`;
}

/** A button value back to its request id and, for Approve, the plan hash it was shown with. */
export function parseRequestValue(value: string): { requestId: string; planHash: string | null } {
  const dot = value.indexOf('.');
  return dot < 0 ? { requestId: value, planHash: null } : { requestId: value.slice(0, dot), planHash: value.slice(dot + 1) };
}

/**
 * The approval card. One builder makes the pending card (with its buttons) and its resolved
 * twin (the same calls, the buttons replaced by the outcome), so a decision edits the original
 * message into its final form. Every call is shown whole, marked so: a renderer that cannot show
 * it refuses the card rather than hide part of what would run.
 */
export function requestCard({ request, calls }: CardInput): OutboundMessage {
  const pending = request.status === 'pending';
  const elements: CardElement[] = [
    { type: 'header', text: headerOf(request, pending) },
    { type: 'text', text: request.summary },
    ...calls.flatMap((call, i) => callElements(call, i, calls.length)),
    { type: 'context', text: footer(request) },
  ];
  if (pending) elements.push(buttons(request, calls.length));
  else elements.push({ type: 'context', text: STATUS_LINE[request.status](request) });
  const card: Card = { accent: accentOf(request), elements };
  const state = pending ? 'Approval needed' : STATUS_LINE[request.status](request);
  return { text: `${state}: ${request.summary}`, card };
}

function headerOf(request: CardInput['request'], pending: boolean): string {
  const what = request.destructive ? '⚠️ Destructive request' : 'Request';
  return pending ? `${what} needs approval` : what;
}

function callElements(call: ShownCall, index: number, count: number): CardElement[] {
  const fields = [
    { label: 'Tool', value: `\`${call.tool}\` (${call.origin})${call.destructive ? ' — destructive' : ''}` },
    { label: 'Arguments', value: `\`${call.args}\`` },
  ];
  if (call.touches) fields.push({ label: 'Touches', value: call.touches });
  if (call.caution) fields.push({ label: 'Caution', value: call.caution });
  const title: CardElement[] = count > 1 ? [{ type: 'text', text: `*Call ${index + 1}*` }] : [];
  return [{ type: 'divider' }, ...title, { type: 'fields', fields, whole: true }];
}

function footer(request: CardInput['request']): string {
  const expires = request.expiresAt.toISOString().slice(11, 16);
  return `Requested by ${request.requestedBy.name} · expires ${expires} UTC · id ${request.id}`;
}

function buttons(request: CardInput['request'], calls: number): CardElement {
  const edit = calls <= MAX_FORM_FIELDS ? [{ actionId: EDIT_ACTION, value: request.id, label: 'Edit…' }] : [];
  return {
    type: 'actions',
    buttons: [...decisionButtons(request), { actionId: DENY_WITH_REASON_ACTION, value: request.id, label: 'Deny with reason…' }, ...edit],
  };
}

/**
 * The card's Approve (with a confirm dialog when destructive) and Deny buttons. Inbox lists
 * show these same buttons, so a decision there takes the same path, once.
 */
export function decisionButtons(request: Pick<AgentRequest, 'id' | 'planHash' | 'destructive' | 'summary'>): Button[] {
  const approve: Button = {
    actionId: APPROVE_ACTION,
    value: approveValue(request),
    label: 'Approve',
    style: 'primary',
    ...(request.destructive
      ? { confirm: { title: 'Run a destructive request?', text: truncate(`This may be hard to undo: ${request.summary}`, 280), confirm: 'Approve', deny: 'Back' } }
      : {}),
  };
  return [approve, { actionId: DENY_ACTION, value: request.id, label: 'Deny', style: 'danger' }];
}

function accentOf(request: CardInput['request']): Card['accent'] {
  if (request.status === 'pending') return request.destructive ? 'danger' : 'warning';
  if (request.status === 'denied') return 'danger';
  if (request.status === 'approved') return 'success';
  return 'neutral';
}
