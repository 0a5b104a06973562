import type { Platform, ThreadRef } from '../model/conversation';
import { isCardToken } from './card-token';

/**
 * A decision taken somewhere in a workspace: a click on a message (or a form it opened), with
 * the card token its button carried if any, or a typed command.
 */
export type PlacedOrigin =
  | { readonly via: 'click'; readonly where: ThreadRef; readonly messageId: string; readonly cardToken?: string | null }
  | { readonly via: 'command'; readonly where: ThreadRef };

/**
 * A click in someone's inbox: a list of the requests they may decide, on a surface only
 * `owner` sees (their Slack App Home, an ephemeral message, a Discord DM with the bot).
 * `workspace` is the one the surface belongs to, or null for a DM outside any workspace.
 */
export interface InboxOrigin {
  readonly via: 'inbox';
  readonly owner: string;
  readonly platform: Platform;
  readonly workspace: string | null;
}

/**
 * Where a decision came from. Adapters say where; the core checks it against the request.
 */
export type DecisionOrigin = PlacedOrigin | InboxOrigin;

/** Where a request lives: its thread and its card (its message id once stored, and the token its buttons carry). */
export interface RequestHome {
  readonly where: ThreadRef;
  readonly cardMessageId: string | null;
  readonly cardToken?: string | null;
}

const ANOTHER_WORKSPACE = 'That request belongs to another workspace; it can only be decided there.';

/**
 * Why a decision from `origin` by `deciderId` is refused for a request living at `home`, or
 * null when it may be taken: a click only from the request's own card (same workspace,
 * channel and message, see {@link onCard}); a typed command only from the request's workspace, and from its
 * channel unless the person is an approver; an inbox click only from the decider's own
 * private surface in the request's workspace (see {@link inboxRefusal}). Request ids are not
 * secrets: they are printed on cards and in `!requests`.
 */
export function originRefusal(origin: DecisionOrigin, home: RequestHome, approver: boolean, deciderId: string): string | null {
  if (origin.via === 'inbox') return inboxRefusal(origin, home, deciderId);
  const sameWorkspace = origin.where.platform === home.where.platform && origin.where.workspace === home.where.workspace;
  if (!sameWorkspace) return ANOTHER_WORKSPACE;
  const sameChannel = origin.where.channel === home.where.channel;
  if (origin.via === 'click') return sameChannel && onCard(origin, home) ? null : "That button is not on this request's card; decide it from its card.";
  return sameChannel || approver ? null : 'That request lives in another channel: decide it there, or ask an approver.';
}

/**
 * Whether a click came from the request's card: from the card's message once its id is
 * stored; before that (a click that beat the card's record), from a button carrying the card's
 * token, which only the card shows. A token that is not the card's is refused either way.
 */
function onCard(click: Extract<PlacedOrigin, { via: 'click' }>, home: RequestHome): boolean {
  const carried = click.cardToken ?? null;
  if (carried !== null && !isCardToken(home.cardToken ?? null, carried)) return false;
  return home.cardMessageId !== null ? click.messageId === home.cardMessageId : carried !== null;
}

/**
 * An inbox click counts only when the surface is the decider's own (nobody decides from a
 * list shown to someone else) and belongs to the request's workspace. A DM outside any
 * workspace (Discord) names none: it passes here, and who may decide is then checked, as for
 * every decision, against the request's own workspace, so a DM grants nothing the card
 * would not. Who may decide (approvers, four eyes) is the caller's next check.
 */
function inboxRefusal(origin: InboxOrigin, home: RequestHome, deciderId: string): string | null {
  if (origin.owner !== deciderId) return 'That list was shown to someone else; decide from your own.';
  if (origin.platform !== home.where.platform) return ANOTHER_WORKSPACE;
  return origin.workspace === null || origin.workspace === home.where.workspace ? null : ANOTHER_WORKSPACE;
}
