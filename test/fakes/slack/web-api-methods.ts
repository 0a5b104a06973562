/**
 * What the fake answers for each Web API method, shaped like Slack's real responses
 * (https://docs.slack.dev/reference/methods) so client code reads the fields it would in production.
 */
import { assistantThreadProblems } from './assistant-checks';
import { channelHandlers, type FakeChannelSpec } from './channel-methods';
import type { FakeFiles } from './file-methods';
import { checkMessageContent } from './block-kit-checks';
import { sessionHandlers, type FakeSession, type FakeSessionSupport } from './session-methods';
import { streamHandlers, type FakeStream } from './stream-methods';
import { homeViewProblems, viewProblems, type Triggers } from './view-checks';
import { FAKE_WORKSPACE, tsSequence } from './workspace';

/** How the fake workspace is populated; every field is optional. */
export interface FakeSlackOptions {
  /** User ids whose users.info says `is_admin: true`. Default none. */
  admins?: string[];
  /** User ids whose users.info says `is_owner: true` (owners are admins too, as in Slack). Default none. */
  owners?: string[];
  /** User group id → member user ids, answered by usergroups.users.list. Default none. */
  usergroups?: Record<string, string[]>;
  /** How the app stands with agent sessions (session-methods.ts). Default `on`. */
  sessions?: FakeSessionSupport;
  /** Channels by id: their workspace, members and history (channel-methods.ts). Default: none special. */
  channels?: Record<string, FakeChannelSpec>;
}

/** What the fake keeps of what the bot showed: streamed messages by ts, sessions by `channel/thread_ts`, files. */
export interface FakeState {
  readonly streams: Map<string, FakeStream>;
  readonly sessions: Map<string, FakeSession>;
  readonly files: FakeFiles;
}

/** A parsed request: form or JSON fields, with JSON-string fields such as `blocks` decoded. */
export type Params = Record<string, unknown>;

/** The JSON body the fake sends back; `ok: false` answers carry `error`. */
export type Answer = { ok: boolean; error?: string } & Record<string, unknown>;

/** An answer plus, when the fake refused the content, the reasons (also sent in response_metadata.messages). */
export interface MethodOutcome {
  answer: Answer;
  problems?: string[];
}

type Handler = (params: Params) => Answer;

/** Methods whose content Slack validates against Block Kit and text limits. */
const MESSAGE_METHODS = new Set(['chat.postMessage', 'chat.update', 'chat.postEphemeral']);

/** Builds the answering function for a workspace configured by `options`; message ts values keep increasing per fake. Streams and sessions are kept in `state`. */
export function createMethodAnswers(options: FakeSlackOptions, triggers: Triggers, state: FakeState): (method: string, params: Params) => MethodOutcome {
  const nextTs = tsSequence(1_700_000_000);
  const handlers = {
    ...methodHandlers(options, nextTs),
    ...streamHandlers(state.streams, nextTs),
    ...sessionHandlers(state.sessions, options.sessions ?? 'on'),
    ...state.files.handlers(),
    ...channelHandlers(options.channels ?? {}),
  };
  let views = 0;
  handlers['views.open'] = (params) => ({ ok: true, view: openedView(params.view, `V${String((views += 1)).padStart(8, '0')}`) });
  return (method, params) => {
    const refusal = MESSAGE_METHODS.has(method)
      ? refuseMessage(params)
      : method === 'views.open'
        ? refuseView(params, triggers)
        : method === 'views.publish'
          ? refuseHome(params)
          : refuseAssistantCall(method, params);
    if (refusal) return refusal;
    const handler = handlers[method];
    // Unknown methods succeed so that adapter code can call anything; the call is still recorded.
    return { answer: handler ? handler(params) : { ok: true } };
  };
}

function refuseMessage(params: Params): MethodOutcome | undefined {
  if (typeof params.channel !== 'string' || params.channel === '') {
    return { answer: { ok: false, error: 'channel_not_found' }, problems: ['no channel'] };
  }
  const verdict = checkMessageContent(params);
  if (!verdict) return undefined;
  // Slack explains refusals in response_metadata.messages; WebClient logs each one as an error.
  const messages = verdict.problems.map((problem) => `[ERROR] ${problem}`);
  return { answer: { ok: false, error: verdict.error, response_metadata: { messages } }, problems: verdict.problems };
}

/** views.open: the click's trigger must be fresh and unused, and the view within Slack's limits. */
function refuseView(params: Params, triggers: Triggers): MethodOutcome | undefined {
  const problems = viewProblems(params.view);
  if (problems.length > 0) return { answer: { ok: false, error: 'invalid_arguments', response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) } }, problems };
  const triggerError = triggers.exchange(params.trigger_id);
  return triggerError ? { answer: { ok: false, error: triggerError }, problems: [triggerError] } : undefined;
}

function refuseHome(params: Params): MethodOutcome | undefined {
  const problems = homeViewProblems(params);
  return problems.length ? { answer: { ok: false, error: 'invalid_arguments', response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) } }, problems } : undefined;
}

/** assistant.threads.*: the arguments Slack requires, as it checks them. */
function refuseAssistantCall(method: string, params: Params): MethodOutcome | undefined {
  const problems = assistantThreadProblems(method, params);
  if (problems === null || problems.length === 0) return undefined;
  return { answer: { ok: false, error: 'invalid_arguments', response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) } }, problems };
}

/** The view object Slack answers views.open with: the app's view plus ids and an empty state. */
function openedView(view: unknown, id: string): Record<string, unknown> {
  return { ...(view as Record<string, unknown>), id, team_id: FAKE_WORKSPACE.teamId, app_id: FAKE_WORKSPACE.appId, bot_id: FAKE_WORKSPACE.botId, state: { values: {} }, hash: `${id}-hash` };
}

function methodHandlers(options: FakeSlackOptions, nextTs: () => string): Record<string, Handler> {
  const reactions = new Set<string>();
  return {
    'auth.test': () => ({
      ok: true,
      url: `https://${FAKE_WORKSPACE.teamDomain}.slack.com/`,
      team: FAKE_WORKSPACE.teamName,
      user: FAKE_WORKSPACE.botName,
      team_id: FAKE_WORKSPACE.teamId,
      user_id: FAKE_WORKSPACE.botUserId,
      bot_id: FAKE_WORKSPACE.botId,
      is_enterprise_install: false,
    }),
    'chat.postMessage': (params) => {
      const ts = nextTs();
      return { ok: true, channel: params.channel, ts, message: botMessage(params, ts) };
    },
    'chat.update': (params) => ({
      ok: true,
      channel: params.channel,
      ts: params.ts,
      text: params.text ?? '',
      message: botMessage(params, String(params.ts)),
    }),
    'chat.postEphemeral': () => ({ ok: true, message_ts: nextTs() }),
    'chat.delete': (params) => ({ ok: true, channel: params.channel, ts: params.ts }),
    'users.info': (params) => ({ ok: true, user: fakeUser(String(params.user), options) }),
    'usergroups.users.list': (params) => usergroupMembers(String(params.usergroup), options),
    // https://docs.slack.dev/reference/methods/reactions.add and .remove: one of each name per message.
    'reactions.add': (params) => react(reactions, params, true),
    'reactions.remove': (params) => react(reactions, params, false),
    'views.publish': (params) => ({ ok: true, view: { ...(params.view as Record<string, unknown>), id: `VHOME${String(params.user_id)}`, team_id: FAKE_WORKSPACE.teamId } }),
    // https://docs.slack.dev/reference/methods/chat.getPermalink: the archive link of a message.
    'chat.getPermalink': (params) => ({
      ok: true,
      channel: params.channel,
      permalink: `https://${FAKE_WORKSPACE.teamDomain}.slack.com/archives/${String(params.channel)}/p${String(params.message_ts).replace('.', '')}`,
    }),
    // A user's DM channel with the bot: D + the user id, stable as on Slack.
    'conversations.open': (params) => ({ ok: true, channel: { id: `D${String(params.users)}` } }),
  };
}

/** The message object Slack echoes back after a post or an edit by the bot. */
function botMessage(params: Params, ts: string): Record<string, unknown> {
  return {
    type: 'message',
    user: FAKE_WORKSPACE.botUserId,
    bot_id: FAKE_WORKSPACE.botId,
    team: FAKE_WORKSPACE.teamId,
    text: params.text ?? '',
    ts,
    ...(params.thread_ts === undefined ? {} : { thread_ts: params.thread_ts }),
    ...(params.blocks === undefined ? {} : { blocks: params.blocks }),
  };
}

function fakeUser(id: string, options: FakeSlackOptions): Record<string, unknown> {
  const isOwner = options.owners?.includes(id) ?? false;
  const isAdmin = isOwner || (options.admins?.includes(id) ?? false);
  const name = `user-${id.toLowerCase()}`;
  return {
    id,
    team_id: FAKE_WORKSPACE.teamId,
    name,
    real_name: `User ${id}`,
    deleted: false,
    is_bot: id === FAKE_WORKSPACE.botUserId,
    is_admin: isAdmin,
    is_owner: isOwner,
    is_primary_owner: false,
    profile: { display_name: name, real_name: `User ${id}` },
  };
}

function usergroupMembers(usergroup: string, options: FakeSlackOptions): Answer {
  const users = options.usergroups?.[usergroup];
  return users ? { ok: true, users: [...users] } : { ok: false, error: 'no_such_subteam' };
}

/** Adds or removes the bot's reaction `name` on a message, refusing what Slack refuses. */
function react(reactions: Set<string>, params: Params, add: boolean): Answer {
  const { channel, timestamp, name } = params;
  if (typeof channel !== 'string' || typeof timestamp !== 'string' || typeof name !== 'string' || name === '') return { ok: false, error: 'invalid_arguments' };
  const key = `${channel}/${timestamp}/${name}`;
  if (add && reactions.has(key)) return { ok: false, error: 'already_reacted' };
  if (!add && !reactions.has(key)) return { ok: false, error: 'no_reaction' };
  if (add) reactions.add(key);
  else reactions.delete(key);
  return { ok: true };
}
