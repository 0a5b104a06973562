import type { Server } from 'node:http';
import type { App, webApi } from '@slack/bolt';
import type { Core } from '../../core/ports/inbound';
import { text, type FeedbackMark, type OutboundMessage } from '../../core/model/card';
import type { ChannelMessage, ChannelQuery } from '../../core/model/channel-history';
import { answerFile, type OutboundFile } from '../../core/model/outbound-file';
import type { ConversationRef, ThreadRef } from '../../core/model/conversation';
import type { HomeView, UserRef } from '../../core/model/inbox';
import type { Attachment } from '../../core/model/attachment';
import type { AnswerStream, ChatPlatform, ClearWorking, FetchedFile, PostedMessage, SessionUpdate, TaskStream, UserAuthority } from '../../core/ports/chat-platform';
import { NotInChannelError, PlatformError, SystemError } from '../../core/errors';
import type { Logger } from '../../logging/logger';
import { fetchPlatformFile, originsOf, type FileHosts } from '../../net/platform-file';
import { BackgroundWork } from './background-work';
import { registerAssistant, type AssistantPanel } from './assistant-listeners';
import type { ListenerDeps } from './listener-deps';
import { registerListeners } from './listeners';
import { renderHome } from './render-home';
import { renderMessage, renderReplacement, tooLongForOneMessage, type SlackContent } from './render-message';
import { registerMessagesTab } from './messages-tab';
import { SlackAnswerStream } from './slack-answer-stream';
import { SlackSessions } from './slack-sessions';
import { registerStopListener } from './stop-listener';
import type { Recipient } from './slack-stream';
import { SlackTaskStream } from './slack-task-stream';
import { buildApp, listen, portOf, type SlackApp, type SlackConnectionOptions } from './slack-app';
import { isUsergroupId, SlackDirectory } from './slack-directory';
import { callSlack } from './slack-errors';
import { SLACK_FILE_ORIGIN } from './slack-files';
import { uploadToThread } from './slack-upload';
import { readSlackChannel } from './slack-history';
import { CHANNEL_LEVEL, isDirectMessageChannel, slackThread, threadTs } from './slack-where';
import { TtlCache } from './ttl-cache';

/** Options for {@link SlackAdapter}. */
export interface SlackAdapterOptions extends SlackConnectionOptions {
  readonly log: Logger;
  /** How long user and user-group lookups are reused. Default 60 s. */
  readonly directoryTtlMs?: number;
  /** How long `stop()` waits for work under way. Default 10 s, inside common 30 s kill timeouts. */
  readonly stopGraceMs?: number;
  /**
   * The greeting and suggested prompts of a new conversation with the bot: a DM opened in the
   * Messages tab (agent messaging), or a new assistant-panel thread. Unset: no greeting.
   */
  readonly assistant?: AssistantPanel;
  /**
   * Which of Slack's experiences the app's manifest declares (SLACK_MESSAGING): `agent`
   * (`agent_view`: DMs in the Messages tab, agent sessions with a Stop, task cards) or
   * `assistant` (`assistant_view`: the assistant panel through Bolt's Assistant, as before
   * sessions). Default `agent`, as slack-manifest.yml declares.
   */
  readonly messaging?: SlackMessaging;
}

/** Slack's agent messaging (`agent_view`) or its older assistant messaging (`assistant_view`). */
export type SlackMessaging = 'agent' | 'assistant';

/** What `start` reports: the HTTP port, or null in Socket Mode. */
export interface StartedSlack {
  readonly port: number | null;
}

/**
 * Switchboard in Slack: the chat-platform port over the Web API, and the Bolt app that
 * feeds events, clicks and slash commands to the core. Build it, register it with the
 * core's platforms, then `start(core)`; `stop()` closes the listener and waits for work
 * under way.
 */
export class SlackAdapter implements ChatPlatform {
  readonly platform = 'slack' as const;
  private readonly app: App;
  private readonly socket: SlackApp['socket'];
  private readonly client: webApi.WebClient;
  private readonly directory: SlackDirectory;
  /** Agent sessions, with agent messaging only: an assistant-panel app is no agent. */
  private readonly sessions: SlackSessions | null;
  /** Slack refused to start a task stream: runs show an edited message from then on. */
  private taskStreamsRefused = false;
  private readonly work = new BackgroundWork();
  /** Card links by channel and ts: a permalink never changes, so each is asked for once (chat.getPermalink, Tier 4). */
  private readonly links = new TtlCache<string, string | null>(24 * 60 * 60_000, 2000);
  private readonly log: Logger;
  private server: Server | null = null;
  /** The bot's user name, asked of auth.test once when a hint needs it. */
  private botName: Promise<string | null> | null = null;
  /** An adapter starts once: its listeners are registered on the Bolt app for good. */
  private state: 'new' | 'running' | 'stopped' = 'new';

  constructor(private readonly options: SlackAdapterOptions) {
    this.log = options.log.child({ module: 'slack' });
    ({ app: this.app, socket: this.socket } = buildApp(options, this.log));
    this.client = this.app.client;
    this.directory = new SlackDirectory(this.client, options.directoryTtlMs ?? 60_000, this.log);
    this.sessions = (options.messaging ?? 'agent') === 'agent' ? new SlackSessions(this.client, this.log) : null;
  }

  /** Checks the token, routes Slack to `core`, and starts listening. */
  async start(core: Core): Promise<StartedSlack> {
    if (this.state !== 'new') throw new SystemError('already_started', 'a Slack adapter can be started once');
    this.state = 'stopped'; // until listening succeeds there is nothing to stop
    const deps: ListenerDeps = {
      core,
      directory: this.directory,
      ephemeral: (where, userId, message) => this.ephemeral(where, userId, message),
      openModal: async (triggerId, view) => {
        await callSlack('views.open', {}, () => this.client.views.open({ trigger_id: triggerId, view }));
      },
      work: this.work,
      log: this.log,
    };
    registerListeners(this.app, deps);
    registerStopListener(this.app, deps);
    const { assistant } = this.options;
    if (this.sessions) registerMessagesTab(this.app, deps, assistant ?? null);
    else if (assistant) registerAssistant(this.app, deps, assistant);
    this.server = await listen(this.app, this.options);
    this.state = 'running';
    const port = this.server ? portOf(this.server) : null;
    this.log.info({ mode: port === null ? 'socket' : 'http', port }, 'Slack adapter started');
    return { port };
  }

  /** Whether events can reach the bot: listening over HTTP, or the Socket Mode connection open. */
  isConnected(): boolean {
    return this.state === 'running' && (this.socket?.websocket?.isActive() ?? true);
  }

  /** Stops taking events, then waits for the work they started. */
  async stop(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopped';
    const stopping = this.app.stop();
    // Idle keep-alive connections would otherwise hold the HTTP server open until they time out.
    this.server?.closeIdleConnections();
    await stopping;
    const unfinished = await this.work.settle(this.options.stopGraceMs ?? 10_000);
    if (unfinished) this.log.warn({ unfinished }, 'stopped with turns still under way; their messages are stored');
  }

  /** One message; a text too long for one goes as a file holding all of it, with one line saying so. */
  async post(where: ThreadRef, message: OutboundMessage): Promise<PostedMessage> {
    if (tooLongForOneMessage(message)) return this.uploadFile(where, answerFile(message.text), message.feedback);
    const messageId = await this.postOne(where, renderMessage(message)).catch((error: unknown) => this.namingTheBot(error));
    return { where, messageId };
  }

  /** The file (files.uploadV2), then its comment as a message of its own: the message a later edit or 👍/👎 needs. */
  async uploadFile(where: ThreadRef, file: OutboundFile, feedback?: FeedbackMark): Promise<PostedMessage> {
    await uploadToThread(this.client, where, file).catch((error: unknown) => this.namingTheBot(error));
    try {
      return { where, messageId: await this.postOne(where, renderMessage({ ...text(file.comment), ...(feedback && { feedback }) })) };
    } catch (error) {
      // Trying the whole upload again would share the file twice.
      throw new PlatformError('slack_partial_post', 'Slack took the file but not the message with it', { channel: where.channel, retryable: false }, { cause: error });
    }
  }

  /** Messages from the channel's history (conversations.history); another channel only when the bot and the requester are both in it. */
  readChannel(where: ConversationRef, query: ChannelQuery): Promise<readonly ChannelMessage[]> {
    return readSlackChannel(this.client, where, query);
  }

  /** A post without `thread_ts`: a message of its own in the channel, the root of a new thread. */
  channelLevel(conversation: ConversationRef): ThreadRef {
    return slackThread(conversation.workspace, conversation.channel, CHANNEL_LEVEL);
  }

  async update(posted: PostedMessage, message: OutboundMessage): Promise<void> {
    const { channel } = posted.where;
    await callSlack('chat.update', { channel, ts: posted.messageId }, () =>
      this.client.chat.update({ channel, ts: posted.messageId, ...renderReplacement(message) }),
    );
  }

  async ephemeral(where: ThreadRef, userId: string, message: OutboundMessage): Promise<void> {
    const content = renderMessage(message);
    await callSlack('chat.postEphemeral', { channel: where.channel, userId }, () =>
      this.client.chat.postEphemeral({ channel: where.channel, user: userId, ...threadTs(where), ...content }),
    );
  }

  /** Streams into the thread; a DM's stream needs no recipient, any other names the person asked and their workspace. */
  streamAnswer(where: ThreadRef, recipientUserId: string): AnswerStream {
    return new SlackAnswerStream(this.client, where, recipientOf(where, recipientUserId), this.log);
  }

  /** A thread's agent session status (agents.sessions.setStatus); nothing once Slack refused sessions. */
  async setSession(where: ThreadRef, session: SessionUpdate): Promise<void> {
    await this.sessions?.set(where, session);
  }

  /**
   * A run's task cards in a stream, where the thread has a session whose Stop stands in for the
   * Cancel button a stream cannot carry; null otherwise (and once Slack refused a task stream).
   */
  taskStream(where: ThreadRef, recipientUserId: string): TaskStream | null {
    if (!this.sessions?.available || this.taskStreamsRefused || where.thread === CHANNEL_LEVEL) return null;
    return new SlackTaskStream(this.client, where, recipientOf(where, recipientUserId), this.log, () => (this.taskStreamsRefused = true));
  }
  /**
   * A reaction on the person's message while the model is silent: Slack has no typing state
   * for bots, and a reaction posts nothing. Not in direct messages, where the assistant panel
   * shows its own status. Taken away once the answer shows.
   */
  async showWorking(where: ThreadRef, replyTo: string | null): Promise<ClearWorking | void> {
    if (!replyTo || isDirectMessage(where)) return;
    const reaction = { channel: where.channel, timestamp: replyTo, name: WORKING_REACTION };
    await callSlack('reactions.add', { channel: where.channel }, () => this.client.reactions.add(reaction));
    return async () => {
      await callSlack('reactions.remove', { channel: where.channel }, () => this.client.reactions.remove(reaction));
    };
  }


  /** Rethrows `error`; a channel the bot is not in gets an invitation that names the bot as people see it. */
  private async namingTheBot(error: unknown): Promise<never> {
    if (!(error instanceof NotInChannelError)) throw error;
    this.botName ??= callSlack('auth.test', {}, () => this.client.auth.test()).then(
      (who) => who.user ?? null,
      () => null,
    );
    const name = await this.botName;
    if (!name) throw error;
    throw new NotInChannelError(error.message, { ...error.context, remedy: `Invite me with /invite @${name}` }, { cause: error.cause });
  }

  private async postOne(where: ThreadRef, content: SlackContent): Promise<string> {
    const posted = await callSlack('chat.postMessage', { channel: where.channel }, () =>
      this.client.chat.postMessage({ channel: where.channel, ...threadTs(where), ...content }),
    );
    return posted.ts!;
  }

  validate(message: OutboundMessage): void {
    renderMessage(message);
  }

  authority(_where: ConversationRef, userId: string, candidateGroups: readonly string[]): Promise<UserAuthority> {
    return this.directory.authority(userId, candidateGroups);
  }

  groupMembers(_where: ConversationRef, groupId: string): Promise<readonly string[] | null> {
    return this.directory.groupMembers(groupId);
  }

  /** Posts in the bot's DM with the user (conversations.open finds or opens it; needs `im:write`). A user group is no one to write to. */
  async directMessage(to: UserRef, message: OutboundMessage): Promise<boolean> {
    if (isUsergroupId(to.userId)) return false;
    const opened = await callSlack('conversations.open', { userId: to.userId }, () => this.client.conversations.open({ users: to.userId }));
    const channel = opened.channel?.id;
    if (!channel) throw new PlatformError('slack_no_dm_channel', 'conversations.open answered without a channel', { userId: to.userId, retryable: false });
    await this.postOne(slackThread(to.workspace, channel, CHANNEL_LEVEL), renderMessage(message));
    return true;
  }

  /** Replaces the user's App Home tab (views.publish). */
  async publishHome(owner: UserRef, view: HomeView): Promise<void> {
    await callSlack('views.publish', { userId: owner.userId }, () => this.client.views.publish({ user_id: owner.userId, view: renderHome(view) }));
  }

  /** A file people posted, from files.slack.com (or the configured API's own host) with the bot token (`files:read`). */
  fetchFile(file: Attachment, maxBytes: number, signal?: AbortSignal): Promise<FetchedFile> {
    const hosts: FileHosts = { origins: [SLACK_FILE_ORIGIN, ...originsOf(this.options.apiUrl)], headers: { authorization: `Bearer ${this.options.botToken}` } };
    return fetchPlatformFile(file, hosts, maxBytes, signal);
  }

  permalink(posted: PostedMessage): Promise<string | null> {
    const { channel } = posted.where;
    return this.links.get(`${channel}/${posted.messageId}`, async () => {
      const answer = await callSlack('chat.getPermalink', { channel }, () => this.client.chat.getPermalink({ channel, message_ts: posted.messageId }));
      return answer.permalink ?? null;
    });
  }
}

/** The reaction that says the bot is working on an answer to a message. */
const WORKING_REACTION = 'hourglass_flowing_sand';

function isDirectMessage(where: ThreadRef): boolean {
  return isDirectMessageChannel(where.channel);
}

/** Who a stream is for: implied in a DM; anywhere else the person asked and their workspace. */
function recipientOf(where: ThreadRef, recipientUserId: string): Recipient | null {
  return isDirectMessage(where) ? null : { recipient_user_id: recipientUserId, recipient_team_id: where.workspace };
}
