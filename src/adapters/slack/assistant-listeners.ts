import { Assistant, ErrorCode, type App, type AssistantThreadStartedMiddleware, type AssistantUserMessageMiddleware, type Context, type webApi } from '@slack/bolt';
import type { ThreadRef } from '../../core/model/conversation';
import type { ViewedChannel } from '../../core/model/viewed-channel';
import type { AssistantThreadDisplay } from '../../core/ports/inbound';
import type { ListenerDeps } from './listener-deps';
import { onMessageEvent } from './listeners';
import { callSlack } from './slack-errors';
import { slackThread } from './slack-where';
import type { SlackMessageEvent } from './translate-event';

/** Slack's assistant panel as configured (SLACK_ASSISTANT_GREETING, SLACK_ASSISTANT_PROMPTS). */
export interface AssistantPanel {
  /** The first message of a new thread. */
  readonly greeting: string;
  /** The prompts offered under it, at most 4. */
  readonly prompts: readonly { readonly title: string; readonly message: string }[];
}

/** What the thread shows while a turn is answered; Slack clears it when the bot replies. */
const THINKING = 'is thinking…';

/** The fields of assistant_thread_started and assistant_thread_context_changed read here. */
interface AssistantThreadEvent {
  readonly assistant_thread: {
    readonly channel_id: string;
    readonly thread_ts: string;
    readonly context?: { readonly channel_id?: string; readonly team_id?: string };
  };
  readonly event_ts: string;
}

/** Slack ids are upper-case letters and digits; anything else is not named to the model. */
const SLACK_ID = /^[A-Z0-9]{2,40}$/;

/**
 * Slack's assistant panel through Bolt's Assistant (https://docs.slack.dev/ai/developing-ai-apps):
 * a new thread is greeted with suggested prompts, the channel the person views beside it is
 * stored through the core (so every replica names it), and a message in the thread is stored
 * and answered like any other, showing a status and getting a title. Bolt routes a DM thread
 * message here instead of to the `message` listener.
 */
export function registerAssistant(app: App, deps: ListenerDeps, panel: AssistantPanel): void {
  const assistant = new Assistant({
    threadStarted: threadStarted(deps, panel),
    threadContextChanged: async ({ event, context }) => noteViewedChannel(deps, event, context),
    userMessage: userMessage(deps),
  });
  // Bolt runs the Assistant's middleware on every request. It reads `payload.type`, which a
  // signed but malformed interaction (a click with no action) leaves null, and throws on an
  // assistant event without its thread: either would be a 500 and Slack's retries. A request
  // without a payload goes on to the listeners, which answer it as usual; a malformed
  // assistant event is ignored (acknowledged), as other malformed events are.
  const middleware = assistant.getMiddleware();
  app.use(async (args) => {
    if (args.payload == null) return args.next();
    try {
      await middleware(args);
    } catch (err) {
      if ((err as { code?: unknown }).code !== ErrorCode.AssistantMissingPropertyError) throw err;
      deps.log.warn({ err }, 'malformed assistant event ignored');
    }
  });
}

/** Stores the context before the ack (so a failure gets the event delivered again), then greets once, after it. */
function threadStarted(deps: ListenerDeps, panel: AssistantPanel): AssistantThreadStartedMiddleware {
  return async ({ event, context, client, setSuggestedPrompts }) => {
    const thread = threadOf(event, context);
    await noteViewedChannel(deps, event, context);
    const log = deps.log.child({ team: thread.workspace, channel: thread.channel, thread: thread.thread });
    deps.work.start(log, 'assistant greeting', async () => {
      if (!(await deps.core.claimAssistantGreeting(thread))) return;
      await callSlack('chat.postMessage', { channel: thread.channel }, () => client.chat.postMessage({ channel: thread.channel, thread_ts: thread.thread, text: panel.greeting }));
      await callSlack('assistant.threads.setSuggestedPrompts', { channel: thread.channel }, () => setSuggestedPrompts({ prompts: [...panel.prompts] }));
    });
  };
}

/** A person's message in the thread: stored before the ack like any message, with the thread's status and title as its display. */
function userMessage(deps: ListenerDeps): AssistantUserMessageMiddleware {
  return async ({ message, body, context, client }) => {
    const event = message as unknown as SlackMessageEvent;
    const where = { channel: event.channel, thread: event.thread_ts ?? event.ts };
    await onMessageEvent(deps, event, body.event_id, context, { assistantThread: display(client, where) });
  };
}

/** The thread's status and title through assistant.threads.*, failures as PlatformErrors. */
function display(client: webApi.WebClient, where: { channel: string; thread: string }): AssistantThreadDisplay {
  const ids = { channel_id: where.channel, thread_ts: where.thread };
  const context = { channel: where.channel };
  return {
    showThinking: async (thinking) => {
      await callSlack('assistant.threads.setStatus', context, () => client.assistant.threads.setStatus({ ...ids, status: thinking ? THINKING : '' }));
    },
    setTitle: async (title) => {
      await callSlack('assistant.threads.setTitle', context, () => client.assistant.threads.setTitle({ ...ids, title }));
    },
  };
}

async function noteViewedChannel(deps: ListenerDeps, event: AssistantThreadEvent, context: Context): Promise<void> {
  await deps.core.noteViewedChannel(threadOf(event, context), viewedChannel(event, context), new Date(Number(event.event_ts) * 1000));
}

function threadOf(event: AssistantThreadEvent, context: Context): ThreadRef {
  return slackThread(context.teamId ?? '', event.assistant_thread.channel_id, event.assistant_thread.thread_ts);
}

/** The channel the person has open, when Slack says and its ids look like Slack's. */
function viewedChannel(event: AssistantThreadEvent, context: Context): ViewedChannel | null {
  const viewed = event.assistant_thread.context;
  const workspace = viewed?.team_id ?? context.teamId ?? '';
  if (!viewed?.channel_id || !SLACK_ID.test(viewed.channel_id) || !SLACK_ID.test(workspace)) return null;
  return { workspace, channel: viewed.channel_id };
}
