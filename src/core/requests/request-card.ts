import type { Card, CardElement, OutboundMessage } from '../model/card';
import type { AgentRequest } from '../model/agent-request';
import type { PlannedAction, RequestStatus } from '../model/message';
import { truncate } from '../text/truncate';
import { APPROVE_ACTION, DENY_ACTION } from '../model/action-ids';

/** How the card describes each action's tool; looked up from the catalog by the caller. */
export type DescribeAction = (action: PlannedAction) => { origin: string; preview?: string };

const ARGS_PREVIEW_CHARS = 300;

const STATUS_LINE: Record<Exclude<RequestStatus, 'pending'>, (r: AgentRequest) => string> = {
  approved: (r) => `✅ Approved by ${r.decidedBy?.name ?? 'someone'}`,
  denied: (r) => `🚫 Denied by ${r.decidedBy?.name ?? 'someone'}`,
  expired: () => '⌛ Expired before anyone decided',
  running: (r) => `▶️ Approved by ${r.decidedBy?.name ?? 'someone'} · running`,
  succeeded: (r) => `✅ Approved by ${r.decidedBy?.name ?? 'someone'} · succeeded`,
  failed: (r) => `❌ Approved by ${r.decidedBy?.name ?? 'someone'} · failed`,
  cancelled: (r) => `⏹️ Approved by ${r.decidedBy?.name ?? 'someone'} · cancelled`,
};

/**
 * The approval card. One builder makes the pending card (with buttons) and its
 * resolved twin (same content, buttons replaced by the outcome), so a decision edits
 * the original message into its final form.
 */
export function requestCard(request: AgentRequest, describe: DescribeAction): OutboundMessage {
  const pending = request.status === 'pending';
  const elements: CardElement[] = [
    { type: 'header', text: headerOf(request, pending) },
    { type: 'text', text: request.summary },
    ...request.actions.flatMap((a, i) => actionElements(a, i, describe)),
    { type: 'context', text: footer(request) },
  ];
  if (pending) elements.push(buttons(request));
  else elements.push({ type: 'context', text: STATUS_LINE[request.status](request) });
  const card: Card = { accent: accentOf(request), elements };
  const state = pending ? 'Approval needed' : STATUS_LINE[request.status](request);
  return { text: `${state}: ${request.summary}`, card };
}

function headerOf(request: AgentRequest, pending: boolean): string {
  const what = request.destructive ? '⚠️ Destructive request' : 'Request';
  return pending ? `${what} needs approval` : what;
}

function actionElements(action: PlannedAction, index: number, describe: DescribeAction): CardElement[] {
  const { origin, preview } = describe(action);
  const args = JSON.stringify(action.args);
  const fields = [
    { label: 'Tool', value: `\`${action.tool}\` (${origin})` },
    { label: 'Arguments', value: `\`${truncate(args, ARGS_PREVIEW_CHARS)}\`` },
  ];
  if (action.reason) fields.push({ label: 'Why', value: action.reason });
  if (preview) fields.push({ label: 'Touches', value: preview });
  return [{ type: 'divider' }, { type: 'text', text: `*Action ${index + 1}*` }, { type: 'fields', fields }];
}

function footer(request: AgentRequest): string {
  const expires = request.expiresAt.toISOString().slice(11, 16);
  return `Requested by ${request.requestedBy.name} · expires ${expires} UTC · id ${request.id}`;
}

function buttons(request: AgentRequest): CardElement {
  return {
    type: 'actions',
    buttons: [
      {
        actionId: APPROVE_ACTION,
        value: request.id,
        label: 'Approve',
        style: 'primary',
        confirm: request.destructive
          ? {
              title: 'Run a destructive request?',
              text: truncate(`This may be hard to undo: ${request.summary}`, 280),
              confirm: 'Approve',
              deny: 'Back',
            }
          : undefined,
      },
      { actionId: DENY_ACTION, value: request.id, label: 'Deny', style: 'danger' },
    ],
  };
}

function accentOf(request: AgentRequest): Card['accent'] {
  if (request.status === 'pending') return request.destructive ? 'danger' : 'warning';
  if (request.status === 'denied' || request.status === 'failed') return 'danger';
  if (request.status === 'expired' || request.status === 'cancelled') return 'neutral';
  return 'success';
}
