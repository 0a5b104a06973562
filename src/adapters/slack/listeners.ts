import type { App, BlockAction, ButtonAction, Context, RespondArguments, RespondFn } from '@slack/bolt';
import type { HandleMessageOptions } from '../../core/ports/inbound';
import type { PrivateReply } from '../../core/ports/chat-platform';
import { PlatformError, StoreUnavailableError } from '../../core/errors';
import { ACTION_IDS, opensForm } from '../../core/model/action-ids';
import { openFormModal, registerFormSubmissions } from './form-listeners';
import { renderReplacement } from './render-message';
import type { ListenerDeps } from './listener-deps';
import { translateEvent, type SlackMessageEvent } from './translate-event';
import { onHomeClick, registerHomeListener } from './home-listeners';
import { SLASH_COMMANDS, translateClick, translateCommand, translateHomeClick } from './translate-interaction';

/** Slack delivers a failed event again 3 times (X-Slack-Retry-Num 1 to 3), then gives up. */
const SLACK_LAST_RETRY = 3;

/**
 * Routes Slack's events, clicks, form submissions and slash commands to the core. A message listener returns
 * once the message is stored, and its event is acknowledged after that
 * (ack-after-listeners.ts); clicks and commands are acked first here. The slow part (name
 * lookups, the model, the reply) runs as background work.
 */
export function registerListeners(app: App, deps: ListenerDeps): void {
  for (const type of ['app_mention', 'message'] as const) {
    app.event(type, ({ event, body, context }) => onMessageEvent(deps, event as SlackMessageEvent, body.event_id, context));
  }
  for (const actionId of ACTION_IDS) {
    app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: actionId }, async ({ ack, body, action, respond, context }) => {
      await ack();
      onClick(deps, body, action, respond, context);
    });
  }
  registerFormSubmissions(app, deps);
  registerHomeListener(app, deps);
  for (const name of SLASH_COMMANDS.keys()) {
    app.command(name, async ({ ack, command, respond }) => {
      await ack();
      const translated = translateCommand(command);
      const log = deps.log.child({ team: command.team_id, channel: command.channel_id, command: command.command, userId: command.user_id });
      if (!translated) {
        log.warn('unreadable slash command ignored');
        return;
      }
      const reply: PrivateReply = (message) => respondWith(respond, { response_type: 'ephemeral', ...renderReplacement(message) });
      deps.work.start(log, 'slash command', async () => {
        const user = await deps.directory.person(command.user_id, command.user_name);
        await deps.core.handleCommand({ ...translated, user }, reply);
      });
    });
  }
  // Rethrown so that the receiver answers the event with an error and Slack delivers it again (event-failures.ts).
  app.error(async (err) => {
    if (!(err instanceof StoreUnavailableError)) deps.log.error({ err }, 'Slack listener failed');
    throw err;
  });
}

/**
 * Stores the message and returns: the event's ack waits for this. The author is stored under
 * a name already known, or the user id until users.info answers (after the ack). A message
 * that could not be stored fails the listener, so that Slack delivers it again. `surface`
 * adds what the thread shows around the turn (an assistant thread's status and title).
 */
export async function onMessageEvent(deps: ListenerDeps, event: SlackMessageEvent, eventId: string, context: Context, surface: HandleMessageOptions = {}): Promise<void> {
  const team = context.teamId ?? '';
  const log = deps.log.child({ team, channel: event.channel, ts: event.ts, eventId, retryNum: context.retryNum });
  const translated = translateEvent(event, { team, botUserId: context.botUserId });
  if (translated.kind === 'ignore') {
    log.debug({ why: translated.why }, 'Slack event ignored');
    return;
  }
  const { where, messageId, userId, text, attachments, options } = translated;
  const knownName = deps.directory.knownName(userId);
  const lookUp = knownName === undefined ? { lookUpAuthorName: () => deps.directory.person(userId).then((p) => p.name) } : {};
  try {
    const accepted = await deps.core.acceptMessage({ where, messageId, author: { id: userId, name: knownName ?? userId }, text, ...(attachments.length ? { attachments } : {}) }, { ...options, ...lookUp, ...surface });
    deps.work.start(log, 'message', () => accepted.turn);
  } catch (err) {
    const lastTry = (context.retryNum ?? 0) >= SLACK_LAST_RETRY;
    if (lastTry) log.error({ err }, 'message not stored on the last delivery Slack makes: it is lost');
    else log.warn({ err }, 'message not stored; answered with an error so that Slack delivers it again');
    throw err;
  }
}

function onClick(deps: ListenerDeps, body: BlockAction, action: ButtonAction, respond: RespondFn, context: Context): void {
  const team = context.teamId ?? body.team?.id ?? body.user.team_id ?? '';
  const log = deps.log.child({ team, channel: body.channel?.id, actionId: action.action_id, userId: body.user.id });
  const homeClick = translateHomeClick(body, action, team);
  if (homeClick) return onHomeClick(deps, homeClick, body, log);
  const click = translateClick(body, action, team);
  if (!click) {
    log.warn('click without a channel or message ignored');
    return;
  }
  // An ephemeral message cannot be edited with chat.update: answer by replacing it.
  const reply: PrivateReply = click.onEphemeral
    ? (message) => respondWith(respond, { replace_original: true, ...renderReplacement(message) })
    : (message) => deps.ephemeral(click.replyWhere, body.user.id, message);
  const clickLog = log.child({ ts: click.action.messageId });
  deps.work.start(clickLog, 'click', async () => {
    const fallbackName = body.user.name ?? body.user.username;
    if (opensForm(click.action.actionId)) {
      // The trigger_id lasts about 3 s: no name lookup before views.open. Opening a form decides
      // nothing; the submission looks the name up before the decision that shows it.
      const user = { id: body.user.id, name: deps.directory.knownName(body.user.id) ?? fallbackName ?? body.user.id };
      return openFormModal(deps, click, { ...click.action, user }, body.trigger_id, reply, clickLog);
    }
    await deps.core.handleAction({ ...click.action, user: await deps.directory.person(body.user.id, fallbackName) }, reply);
  });
}

/** Posts to the interaction's response URL; a refusal is a PlatformError like any other Slack failure. */
async function respondWith(respond: RespondFn, message: RespondArguments): Promise<void> {
  const response = (await respond(message)) as { ok?: boolean; status?: number } | undefined;
  if (response && response.ok === false) {
    throw new PlatformError('slack_response_url_failed', `Slack answered the response URL with HTTP ${response.status}`, { status: response.status });
  }
}
