import type { ThreadRef } from '../model/conversation';

/**
 * Where a decision came from: a click on a message (or a form that click opened), or a
 * command typed somewhere. Adapters say where; the core checks it against the request.
 */
export type DecisionOrigin =
  | { readonly via: 'click'; readonly where: ThreadRef; readonly messageId: string }
  | { readonly via: 'command'; readonly where: ThreadRef };

/** Where a request lives: its thread and its card. */
export interface RequestHome {
  readonly where: ThreadRef;
  readonly cardMessageId: string | null;
}

/**
 * Why a decision from `origin` is refused for a request living at `home`, or null when it may
 * be taken: a click only from the request's own card (same workspace, channel and message); a
 * typed command only from the request's workspace, and from its channel unless the person is
 * an approver. Request ids are not secrets: they are printed on cards and in `!requests`.
 */
export function originRefusal(origin: DecisionOrigin, home: RequestHome, approver: boolean): string | null {
  const sameWorkspace = origin.where.platform === home.where.platform && origin.where.workspace === home.where.workspace;
  if (!sameWorkspace) return 'That request belongs to another workspace; it can only be decided there.';
  const sameChannel = origin.where.channel === home.where.channel;
  if (origin.via === 'click') {
    return sameChannel && home.cardMessageId !== null && origin.messageId === home.cardMessageId
      ? null
      : "That button is not on this request's card; decide it from its card.";
  }
  return sameChannel || approver ? null : 'That request lives in another channel: decide it there, or ask an approver.';
}
