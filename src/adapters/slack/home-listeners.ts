import type { App, BlockAction } from '@slack/bolt';
import type { IncomingAction } from '../../core/model/incoming';
import type { UserRef } from '../../core/model/inbox';
import type { PrivateReply } from '../../core/ports/chat-platform';
import type { Logger } from '../../logging/logger';
import type { ListenerDeps } from './listener-deps';

const ownerOf = (team: string, userId: string): UserRef => ({ platform: 'slack', workspace: team, userId });

/**
 * Publishes a person's Home tab each time they open it (`app_home_opened`, which Slack sends
 * on every visit, for the Messages tab too). The event is acknowledged at once; the
 * publishing is background work.
 */
export function registerHomeListener(app: App, deps: ListenerDeps): void {
  app.event('app_home_opened', async ({ event, context, body }) => {
    if (event.tab !== undefined && event.tab !== 'home') return;
    const team = context.teamId ?? body.team_id ?? '';
    const log = deps.log.child({ team, userId: event.user, eventId: body.event_id });
    deps.work.start(log, 'home view', () => deps.core.openHome(ownerOf(team, event.user)));
  });
}

/**
 * A click in someone's Home tab: decided by the core as an inbox click. A home has no thread
 * for a private answer, so the answer is shown on top of the home itself, republished.
 */
export function onHomeClick(deps: ListenerDeps, click: Omit<IncomingAction, 'user'>, body: BlockAction, log: Logger): void {
  const owner = ownerOf(click.where.workspace, body.user.id);
  const reply: PrivateReply = (message) => deps.core.openHome(owner, message.text);
  deps.work.start(log.child({ home: true }), 'home click', async () => {
    const user = await deps.directory.person(body.user.id, body.user.name ?? body.user.username);
    await deps.core.handleAction({ ...click, user }, reply);
  });
}
