/**
 * Builders for what Slack sends to the bot: Events API envelopes, block_actions and
 * view_submission payloads and slash command fields, shaped like the real ones (https://docs.slack.dev/apis/events-api,
 * /reference/interaction-payloads/block_actions-payload, /interactivity/implementing-slash-commands)
 * so Bolt routes them exactly as it would in production.
 */
import { FAKE_WORKSPACE, tsSequence } from './workspace';

/**
 * Where builders send responses when the caller gives no response URL: a closed local port, so a stray
 * respond() fails fast instead of reaching the internet. Use the fake's own builders for a recorded one.
 */
export const UNROUTABLE_RESPONSE_URL = 'http://127.0.0.1:1/response/unset';

// Inbound ids only need to be unique within a test run; a separate range keeps them apart from the bot's own ts.
const nextInboundTs = tsSequence(1_600_000_000);
let sequence = 0;
const nextId = (prefix: string): string => `${prefix}${String((sequence += 1)).padStart(6, '0')}`;

/** Fields shared by the message-shaped event builders; ts and eventId default to fresh unique values. */
export interface MessageEventInput {
  team?: string;
  channel: string;
  user: string;
  text: string;
  ts?: string;
  threadTs?: string;
  eventId?: string;
  /** The message's `files` entries (FakeSlack.shareFile's `entry`). */
  files?: readonly Record<string, unknown>[];
}

/** A message event's extras: `channelType` defaults to 'channel'; `subtype` / `botId` mark edits or bot posts. */
export interface PlainMessageInput extends MessageEventInput {
  channelType?: 'im' | 'channel' | 'group' | 'mpim';
  subtype?: string;
  botId?: string;
}

/** A full `event_callback` envelope carrying an `app_mention` event (team defaults to T1). */
export function appMentionEvent(input: MessageEventInput): Record<string, unknown> {
  return eventCallback(input, { type: 'app_mention', ...messageFields(input) });
}

/** A full `event_callback` envelope carrying a `message` event (channel_type defaults to 'channel'). */
export function messageEvent(input: PlainMessageInput): Record<string, unknown> {
  return eventCallback(input, {
    type: 'message',
    ...(input.subtype === undefined ? {} : { subtype: input.subtype }),
    ...(input.botId === undefined ? {} : { bot_id: input.botId }),
    ...messageFields(input),
    channel_type: input.channelType ?? 'channel',
  });
}

function messageFields(input: MessageEventInput): Record<string, unknown> {
  const ts = input.ts ?? nextInboundTs();
  return {
    user: input.user,
    text: input.text,
    ts,
    channel: input.channel,
    event_ts: ts,
    team: input.team ?? FAKE_WORKSPACE.teamId,
    client_msg_id: nextId('msg-'),
    ...(input.threadTs === undefined ? {} : { thread_ts: input.threadTs }),
    ...(input.files === undefined ? {} : { files: input.files }),
  };
}

function eventCallback(input: MessageEventInput, event: Record<string, unknown>): Record<string, unknown> {
  const teamId = input.team ?? FAKE_WORKSPACE.teamId;
  return {
    token: FAKE_WORKSPACE.verificationToken,
    team_id: teamId,
    api_app_id: FAKE_WORKSPACE.appId,
    event,
    type: 'event_callback',
    event_id: input.eventId ?? nextId('Ev'),
    event_time: Math.floor(Date.now() / 1000),
    // Bolt takes the team for authorize() from here before falling back to team_id.
    authorizations: [
      {
        enterprise_id: null,
        team_id: teamId,
        user_id: FAKE_WORKSPACE.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: nextId('4-event-context-'),
  };
}

/** Inputs of a button click; blockId defaults to 'actions', messageText to 'Approval needed'. */
export interface BlockActionInput {
  team?: string;
  channel: string;
  user: string;
  actionId: string;
  value: string;
  messageTs: string;
  threadTs?: string;
  responseUrl?: string;
  blockId?: string;
  messageText?: string;
  /** What was clicked: a plain button (default), or one of an answer's feedback buttons in a context_actions block. */
  element?: 'button' | 'feedback_buttons';
}

/** A `block_actions` payload for a button click on a bot message (response_url defaults to an unroutable URL). */
export function blockActionPayload(input: BlockActionInput): Record<string, unknown> {
  const teamId = input.team ?? FAKE_WORKSPACE.teamId;
  const blockId = input.blockId ?? 'actions';
  const userName = `user-${input.user.toLowerCase()}`;
  const { button, block } = clickedElement(input, blockId);
  return {
    type: 'block_actions',
    user: { id: input.user, username: userName, name: userName, team_id: teamId },
    api_app_id: FAKE_WORKSPACE.appId,
    token: FAKE_WORKSPACE.verificationToken,
    container: { type: 'message', message_ts: input.messageTs, channel_id: input.channel, is_ephemeral: false },
    trigger_id: nextId('trigger-'),
    team: { id: teamId, domain: FAKE_WORKSPACE.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: input.channel, name: `channel-${input.channel.toLowerCase()}` },
    message: {
      type: 'message',
      user: FAKE_WORKSPACE.botUserId,
      bot_id: FAKE_WORKSPACE.botId,
      ts: input.messageTs,
      ...(input.threadTs === undefined ? {} : { thread_ts: input.threadTs }),
      text: input.messageText ?? 'Approval needed',
      blocks: [block],
    },
    state: { values: {} },
    response_url: input.responseUrl ?? UNROUTABLE_RESPONSE_URL,
    actions: [{ ...button, block_id: blockId, action_ts: nextInboundTs() }],
  };
}

/** The clicked element as the action reports it, and the block the message holds it in. */
function clickedElement(input: BlockActionInput, blockId: string): { button: Record<string, unknown>; block: Record<string, unknown> } {
  if (input.element !== 'feedback_buttons') {
    const button = { type: 'button', action_id: input.actionId, text: { type: 'plain_text', text: 'Button' }, value: input.value };
    return { button, block: { type: 'actions', block_id: blockId, elements: [button] } };
  }
  // A feedback click reports the pressed side's text and value under the element's action id.
  const side = (text: string) => ({ text: { type: 'plain_text', text }, value: input.value });
  const element = { type: 'feedback_buttons', action_id: input.actionId, positive_button: side('Good'), negative_button: side('Bad') };
  return {
    button: { type: 'feedback_buttons', action_id: input.actionId, text: { type: 'plain_text', text: 'Good' }, value: input.value },
    block: { type: 'context_actions', block_id: blockId, elements: [element] },
  };
}

/** Inputs of a modal submission: the view as the app opened it (views.open's `view`), and what the user typed by action_id. */
export interface ViewSubmissionInput {
  team?: string;
  user: string;
  view: Record<string, unknown>;
  /** Typed values by the input's action_id; inputs left out come back empty (null), as Slack sends them. */
  values: Record<string, string>;
}

/** A `view_submission` payload for a modal the app opened (https://docs.slack.dev/reference/interaction-payloads/view-interactions-payload). */
export function viewSubmissionPayload(input: ViewSubmissionInput): Record<string, unknown> {
  const teamId = input.team ?? FAKE_WORKSPACE.teamId;
  const userName = `user-${input.user.toLowerCase()}`;
  const blocks = Array.isArray(input.view.blocks) ? (input.view.blocks as Record<string, unknown>[]) : [];
  const values: Record<string, Record<string, { type: string; value: string | null }>> = {};
  for (const block of blocks.filter((b) => b.type === 'input')) {
    const element = block.element as { type: string; action_id: string };
    values[String(block.block_id)] = { [element.action_id]: { type: element.type, value: input.values[element.action_id] ?? null } };
  }
  return {
    type: 'view_submission',
    team: { id: teamId, domain: FAKE_WORKSPACE.teamDomain },
    user: { id: input.user, username: userName, name: userName, team_id: teamId },
    api_app_id: FAKE_WORKSPACE.appId,
    token: FAKE_WORKSPACE.verificationToken,
    trigger_id: nextId('trigger-'),
    view: { private_metadata: '', callback_id: '', root_view_id: null, previous_view_id: null, clear_on_close: false, notify_on_close: false, ...input.view, state: { values } },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** Inputs of a slash command invocation. */
export interface SlashCommandInput {
  team?: string;
  channel: string;
  user: string;
  command: string;
  text: string;
  responseUrl?: string;
}

/** The form fields Slack posts for a slash command (response_url defaults to an unroutable URL). */
export function slashCommand(input: SlashCommandInput): Record<string, string> {
  return {
    token: FAKE_WORKSPACE.verificationToken,
    team_id: input.team ?? FAKE_WORKSPACE.teamId,
    team_domain: FAKE_WORKSPACE.teamDomain,
    channel_id: input.channel,
    channel_name: `channel-${input.channel.toLowerCase()}`,
    user_id: input.user,
    user_name: `user-${input.user.toLowerCase()}`,
    command: input.command,
    text: input.text,
    api_app_id: FAKE_WORKSPACE.appId,
    is_enterprise_install: 'false',
    response_url: input.responseUrl ?? UNROUTABLE_RESPONSE_URL,
    trigger_id: nextId('trigger-'),
  };
}

/** An `app_home_opened` envelope: `user` opened the app's Home tab (https://docs.slack.dev/reference/events/app_home_opened). */
export function appHomeOpenedEvent(input: { team?: string; user: string; tab?: 'home' | 'messages' }): Record<string, unknown> {
  const event = { type: 'app_home_opened', user: input.user, channel: `D${input.user}`, tab: input.tab ?? 'home', event_ts: nextInboundTs() };
  return eventCallback({ team: input.team, channel: `D${input.user}`, user: input.user, text: '' }, event);
}

/** Inputs of an agent_session_stopped event: who clicked Stop on which thread, and the streams Slack stopped. */
export interface SessionStoppedInput {
  team?: string;
  channel: string;
  threadTs: string;
  user: string;
  /** The ts of the app's streams Slack stopped (FakeSlack.stopStreamsIn); empty when none was open. */
  streamingTs: string[];
  eventId?: string;
}

/** An `agent_session_stopped` envelope (https://docs.slack.dev/reference/events/agent_session_stopped): the team only on the envelope. */
export function agentSessionStoppedEvent(input: SessionStoppedInput): Record<string, unknown> {
  const event = { type: 'agent_session_stopped', channel: input.channel, thread_ts: input.threadTs, user: input.user, streaming_message_ts: input.streamingTs, event_ts: nextInboundTs() };
  return eventCallback({ team: input.team, channel: input.channel, user: input.user, text: '', eventId: input.eventId }, event);
}

/** Inputs of a click in someone's Home tab. */
export interface HomeActionInput {
  team?: string;
  user: string;
  actionId: string;
  value: string;
  /** The published home view's id; default `VHOME<user>`, as the fake's views.publish answers. */
  viewId?: string;
}

/** A `block_actions` payload for a button in a Home tab: a view container, no channel, no message, no response URL. */
export function homeBlockActionPayload(input: HomeActionInput): Record<string, unknown> {
  const teamId = input.team ?? FAKE_WORKSPACE.teamId;
  const viewId = input.viewId ?? `VHOME${input.user}`;
  const button = { type: 'button', action_id: input.actionId, text: { type: 'plain_text', text: 'Button' }, value: input.value, block_id: 'home', action_ts: nextInboundTs() };
  const userName = `user-${input.user.toLowerCase()}`;
  return {
    type: 'block_actions',
    user: { id: input.user, username: userName, name: userName, team_id: teamId },
    api_app_id: FAKE_WORKSPACE.appId,
    token: FAKE_WORKSPACE.verificationToken,
    container: { type: 'view', view_id: viewId },
    trigger_id: nextId('trigger-'),
    team: { id: teamId, domain: FAKE_WORKSPACE.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    view: { id: viewId, team_id: teamId, type: 'home', blocks: [], private_metadata: '', callback_id: '', state: { values: {} }, hash: `${viewId}-hash`, app_id: FAKE_WORKSPACE.appId, bot_id: FAKE_WORKSPACE.botId },
    actions: [button],
  };
}

/** Inputs of an assistant thread event: the person's DM with the app, the thread, and the channel they view (if any). */
export interface AssistantThreadInput {
  team?: string;
  user: string;
  /** The DM channel of the assistant panel; default `D<user>`. */
  channel?: string;
  threadTs: string;
  /** The channel open beside the panel; omitted, the context is empty. */
  viewing?: string;
  /** Default a fresh, increasing ts. */
  eventTs?: string;
  eventId?: string;
}

/**
 * An `assistant_thread_started` or `assistant_thread_context_changed` envelope
 * (https://docs.slack.dev/reference/events/assistant_thread_started): the person opened the
 * assistant panel, or moved to another channel with it open.
 */
export function assistantThreadEvent(type: 'assistant_thread_started' | 'assistant_thread_context_changed', input: AssistantThreadInput): Record<string, unknown> {
  const teamId = input.team ?? FAKE_WORKSPACE.teamId;
  const channel = input.channel ?? `D${input.user}`;
  const context = input.viewing === undefined ? {} : { channel_id: input.viewing, team_id: teamId, enterprise_id: null };
  const event = { type, assistant_thread: { user_id: input.user, context, channel_id: channel, thread_ts: input.threadTs }, event_ts: input.eventTs ?? nextInboundTs() };
  return eventCallback({ team: teamId, channel, user: input.user, text: '', eventId: input.eventId }, event);
}
