import { decisionButtons } from '../approvals/request-card';
import type { AgentRequest, ReminderStage, RequestStatus } from '../model/agent-request';
import type { Button, CardElement, OutboundMessage } from '../model/card';
import type { HomeView } from '../model/inbox';
import type { RequestPage } from '../ports/stores';
import { truncate } from '../text/truncate';

/** Links to requests' cards, by request id; a request without one is listed without a link. */
export type CardLinks = ReadonlyMap<string, string>;

/** The longest summary a list shows; the card has the rest. */
const SUMMARY_CHARS = 200;

const STATUS_MARK: Record<RequestStatus, string> = {
  pending: '⏳ pending',
  approved: '✅ approved',
  denied: '🚫 denied',
  expired: '⌛ expired',
  cancelled: '⏹️ cancelled',
};

const hhmm = (at: Date): string => `${at.toISOString().slice(11, 16)} UTC`;

/** Where a request lives and, when there is one, a link to its card. */
function smallPrint(request: AgentRequest, links: CardLinks, first: string): string {
  const link = links.get(request.id);
  return [first, `id ${request.id}`, ...(link ? [`card: ${link}`] : [])].join(' · ');
}

/**
 * A request waiting for the reader's decision: what it asks (whole: a list that cannot show
 * it drops the item rather than leave buttons without their request), who asked, and the
 * card's Approve and Deny buttons, labelled `suffix` when several share one message.
 */
export function pendingItem(request: AgentRequest, links: CardLinks, suffix = ''): CardElement[] {
  const what = `${request.destructive ? '⚠️ ' : ''}*${truncate(request.summary, SUMMARY_CHARS)}*`;
  const buttons: Button[] = decisionButtons(request).map((b) => ({ ...b, label: `${b.label}${suffix}` }));
  return [
    { type: 'text', text: `${suffix ? `${suffix.trim()}. ` : ''}${what}`, whole: true },
    { type: 'context', text: smallPrint(request, links, `Requested by ${request.requestedBy.name} · expires ${hhmm(request.expiresAt)}`) },
    { type: 'actions', buttons },
  ];
}

const REMINDER_HEAD: Record<ReminderStage, (request: AgentRequest) => string> = {
  first: () => '⏰ Reminder: a request still waits for your decision',
  final: (request) => `⏰ Last call: this request expires at ${hhmm(request.expiresAt)} with no decision`,
};

/**
 * A reminder sent privately to an approver: the request as the inbox lists it, with the same
 * Approve and Deny buttons, which count as decided from the approver's own private surface.
 */
export function reminderMessage(request: AgentRequest, stage: ReminderStage, links: CardLinks): OutboundMessage {
  const head = REMINDER_HEAD[stage](request);
  return { text: `${head}: ${truncate(request.summary, SUMMARY_CHARS)}`, card: { accent: 'warning', elements: [{ type: 'header', text: head }, ...pendingItem(request, links)] } };
}

/** One of the reader's own requests, with where it stands. */
export function ownItem(request: AgentRequest, links: CardLinks): CardElement[] {
  const by = request.decidedBy ? ` by ${request.decidedBy.name}` : '';
  return [
    { type: 'text', text: `${STATUS_MARK[request.status]}${by} — ${truncate(request.summary, SUMMARY_CHARS)}` },
    { type: 'context', text: smallPrint(request, links, `Asked ${request.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`) },
  ];
}

/** What a home view shows: the requests waiting for its owner, then the owner's own. */
export function homeView(input: { awaiting: RequestPage; own: RequestPage; links: CardLinks; note: string | null }): HomeView {
  const { awaiting, own, links } = input;
  return {
    title: 'What waits for you',
    note: input.note,
    sections: [
      {
        heading: `Waiting for your decision (${awaiting.total})`,
        empty: 'Nothing waits for your decision.',
        items: awaiting.requests.map((r) => pendingItem(r, links)),
        more: awaiting.total - awaiting.requests.length,
      },
      {
        heading: 'Your recent requests',
        empty: 'You have not asked for anything yet.',
        items: own.requests.map((r) => ownItem(r, links)),
        more: 0,
      },
    ],
  };
}

/**
 * The `pending` answer: the first `shown` requests of the page as one card, each with its
 * buttons (numbered, as one message's rows of buttons are not next to their request on every
 * platform), and how many more there are.
 */
export function pendingList(awaiting: RequestPage, links: CardLinks, shown: number): OutboundMessage {
  const items = awaiting.requests.slice(0, shown);
  const more = awaiting.total - items.length;
  const elements: CardElement[] = [
    { type: 'header', text: `Waiting for your decision in this workspace (${awaiting.total})` },
    ...items.flatMap((r, i) => pendingItem(r, links, items.length > 1 ? ` ${i + 1}` : '')),
  ];
  if (more > 0) elements.push({ type: 'context', text: `…and ${more} more; decide these, then ask again.` });
  return { text: `${awaiting.total} request${awaiting.total === 1 ? '' : 's'} wait for your decision`, card: { accent: 'warning', elements } };
}
