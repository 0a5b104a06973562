import type { App } from '@slack/bolt';
import type { AssistantPanel } from './assistant-listeners';
import type { ListenerDeps } from './listener-deps';
import { callSlack } from './slack-errors';
import { CHANNEL_LEVEL, slackThread } from './slack-where';

/**
 * Agent messaging's Messages tab (https://docs.slack.dev/ai/migrating-to-agent-messaging): a
 * person opening their DM with the bot arrives as `app_home_opened` with `tab: "messages"`,
 * which replaces the assistant panel's `assistant_thread_started`. The first opening of each
 * DM is greeted, and its suggested prompts set, exactly once however many deliveries and
 * replicas (a claim in Postgres); later openings change nothing. The event is acknowledged at
 * once. Messages in the DM are plain `message.im` events, answered like any other.
 */
export function registerMessagesTab(app: App, deps: ListenerDeps, panel: AssistantPanel | null): void {
  if (!panel) return;
  app.event('app_home_opened', async ({ event, context, body, client }) => {
    if (event.tab !== 'messages' || typeof event.channel !== 'string') return;
    const team = context.teamId ?? body.team_id ?? '';
    const dm = slackThread(team, event.channel, CHANNEL_LEVEL);
    const log = deps.log.child({ team, channel: event.channel, userId: event.user, eventId: body.event_id });
    deps.work.start(log, 'messages tab greeting', async () => {
      if (!(await deps.core.claimAssistantGreeting(dm))) return;
      await callSlack('chat.postMessage', { channel: dm.channel }, () => client.chat.postMessage({ channel: dm.channel, text: panel.greeting }));
      // No thread_ts: an agent app's prompts belong to the DM (with one, Slack ignores the call).
      await callSlack('assistant.threads.setSuggestedPrompts', { channel: dm.channel }, () => client.assistant.threads.setSuggestedPrompts({ channel_id: dm.channel, prompts: [...panel.prompts] }));
    });
  });
}
