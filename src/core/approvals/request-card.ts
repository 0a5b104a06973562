import { ALWAYS_ALLOW_ACTION, APPROVE_ACTION, DENY_ACTION, DENY_WITH_REASON_ACTION, EDIT_ACTION } from '../model/action-ids';
import type { AgentRequest, RequestStatus } from '../model/agent-request';
import type { Button, Card, CardElement, OutboundMessage } from '../model/card';
import { MAX_FORM_FIELDS } from '../model/form';
import { truncate } from '../text/truncate';
import type { ShownCall } from './shown-plan';

/** What a card needs besides the request: each gated call as it is shown. */
export interface CardInput {
  readonly request: Pick<AgentRequest, 'id' | 'summary' | 'destructive' | 'status' | 'requestedBy' | 'decidedBy' | 'reason' | 'expiresAt' | 'planHash' | 'cardToken'>;
  readonly calls: readonly ShownCall[];
  /** Offer "Always allow here" (a pending request of one tool that is not destructive, policy/always-allow.ts). Default false. */
  readonly allowHere?: boolean;
}

const by = (r: CardInput['request']) => r.decidedBy?.name ?? 'someone';

const STATUS_LINE: Record<Exclude<RequestStatus, 'pending'>, (r: CardInput['request']) => string> = {
  approved: (r) => `✅ Approved by ${by(r)}`,
  denied: (r) => `🚫 Denied by ${by(r)}${r.reason ? `: ${truncate(r.reason, 300)}` : ''}`,
  expired: () => '⌛ Expired with no decision; nothing ran',
  cancelled: () => '⏹️ Cancelled; nothing ran',
};

/**
 * Separates a button's request (and plan) from its card's token. Request ids (uuids), plan
 * hashes (hex) and tokens (base64url) never contain it.
 */
const TOKEN_SEPARATOR = ':';

/** What a request's button carries back. */
export interface RequestValue {
  readonly requestId: string;
  /** For Approve, the plan hash the card showed: an approval of an edited card's old version fails. */
  readonly planHash: string | null;
  /** On the card itself, the card's token (AgentRequest.cardToken); null on inbox lists and on cards older than tokens. */
  readonly cardToken: string | null;
}

/** A request button's value: `<request id>[.<plan hash>][:<card token>]`. */
export function requestValue(requestId: string, extra: { planHash?: string; cardToken?: string | null } = {}): string {
  const plan = extra.planHash ? `.${extra.planHash}` : '';
  const token = extra.cardToken ? `${TOKEN_SEPARATOR}${extra.cardToken}` : '';
  return `${requestId}${plan}${token}`;
}

/** A button value back to its request id, the plan hash an Approve was shown with, and the card's token. */
export function parseRequestValue(value: string): RequestValue {
  const at = value.indexOf(TOKEN_SEPARATOR);
  const head = at < 0 ? value : value.slice(0, at);
  const cardToken = at < 0 ? null : value.slice(at + 1) || null;
  const dot = head.indexOf('.');
  return dot < 0 ? { requestId: head, planHash: null, cardToken } : { requestId: head.slice(0, dot), planHash: head.slice(dot + 1), cardToken };
}

/**
 * The approval card. One builder makes the pending card (with its buttons) and its resolved
 * twin (the same calls, the buttons replaced by the outcome), so a decision edits the original
 * message into its final form. Every call is shown whole, marked so: a renderer that cannot show
 * it refuses the card rather than hide part of what would run.
 */
export function requestCard({ request, calls, allowHere = false }: CardInput): OutboundMessage {
  const pending = request.status === 'pending';
  const elements: CardElement[] = [
    { type: 'header', text: headerOf(request, pending) },
    { type: 'text', text: request.summary },
    ...calls.flatMap((call, i) => callElements(call, i, calls.length)),
    { type: 'context', text: footer(request) },
  ];
  if (pending) elements.push(buttons(request, calls.length, allowHere));
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

/** The card's buttons, each carrying the card's token: only the card shows it. */
function buttons(request: CardInput['request'], calls: number, allowHere: boolean): CardElement {
  const value = requestValue(request.id, { cardToken: request.cardToken });
  const edit = calls <= MAX_FORM_FIELDS ? [{ actionId: EDIT_ACTION, value, label: 'Edit…' }] : [];
  // Seen by everyone in the channel; a click from anyone who may not set policy is refused privately.
  const always = allowHere ? [{ actionId: ALWAYS_ALLOW_ACTION, value: requestValue(request.id, { planHash: request.planHash, cardToken: request.cardToken }), label: 'Always allow here' }] : [];
  return {
    type: 'actions',
    buttons: [...decisionButtons(request, request.cardToken), { actionId: DENY_WITH_REASON_ACTION, value, label: 'Deny with reason…' }, ...edit, ...always],
  };
}

/**
 * The card's Approve (with a confirm dialog when destructive) and Deny buttons. Inbox lists
 * show these same buttons, so a decision there takes the same path, once; only the card
 * passes its `cardToken` (default none): a list's buttons must not stand in for the card's.
 */
export function decisionButtons(request: Pick<AgentRequest, 'id' | 'planHash' | 'destructive' | 'summary'>, cardToken: string | null = null): Button[] {
  const approve: Button = {
    actionId: APPROVE_ACTION,
    value: requestValue(request.id, { planHash: request.planHash, cardToken }),
    label: 'Approve',
    style: 'primary',
    ...(request.destructive
      ? { confirm: { title: 'Run a destructive request?', text: truncate(`This may be hard to undo: ${request.summary}`, 280), confirm: 'Approve', deny: 'Back' } }
      : {}),
  };
  return [approve, { actionId: DENY_ACTION, value: requestValue(request.id, { cardToken }), label: 'Deny', style: 'danger' }];
}

function accentOf(request: CardInput['request']): Card['accent'] {
  if (request.status === 'pending') return request.destructive ? 'danger' : 'warning';
  if (request.status === 'denied') return 'danger';
  if (request.status === 'approved') return 'success';
  return 'neutral';
}
