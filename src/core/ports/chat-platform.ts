import type { Attachment } from '../model/attachment';
import type { FeedbackMark, OutboundMessage, SourceLink } from '../model/card';
import type { ConversationRef, Platform, ThreadRef } from '../model/conversation';
import type { ChannelMessage, ChannelQuery } from '../model/channel-history';
import type { HomeView, UserRef } from '../model/inbox';
import type { OutboundFile } from '../model/outbound-file';

/** A message the bot posted, addressable for later edits. */
export interface PostedMessage {
  readonly where: ThreadRef;
  readonly messageId: string;
}

/** A file's bytes as {@link ChatPlatform.fetchFile} read them. */
export interface FetchedFile {
  readonly bytes: Uint8Array;
  /** The file went on past the cap asked for; `bytes` holds only that much. */
  readonly cut: boolean;
}

/** What the platform says about a user when a decision needs authority. */
export interface UserAuthority {
  /** Slack admin or owner; Discord member with Manage Server; the console user. */
  readonly isAdmin: boolean;
  /** The subset of the candidate group/role ids the user belongs to. */
  readonly groups: readonly string[];
}

/**
 * How urgent an edit is. `low` marks an intermediate state (a progress edit) that may
 * wait behind cards, replies and final states, and that a newer edit of the same message
 * replaces. Default `high`.
 */
export interface UpdateOptions {
  readonly priority?: 'high' | 'low';
}

/**
 * An answer shown while the model writes it, from {@link ChatPlatform.streamAnswer}. Each call
 * says the whole text so far; the adapter sends only what it has not shown, within its limits
 * (one that outgrows its message ends with a pointer to a file of it all), paced by the caller.
 * Details: docs/development.md, "Long answers and files".
 */
export interface AnswerStream {
  /** Shows the answer as far as it is written; `textSoFar` begins with whatever an earlier call showed. */
  show(textSoFar: string): Promise<void>;
  /**
   * Ends the answer showing exactly `wholeText` (which begins with everything shown; an
   * answer cut short ends with a note the core adds), with 👍/👎 on its last part when
   * `feedback` is given; returns its first message.
   */
  finish(wholeText: string, feedback?: FeedbackMark): Promise<PostedMessage>;
}

/**
 * The port every adapter implements. The core calls it with neutral content; the
 * adapter renders, respects its platform's limits (a text too long for one message goes
 * as a file, never as a run of messages), and throws a PlatformError when the platform refuses.
 */
export interface ChatPlatform {
  readonly platform: Platform;
  /**
   * Posts into the thread; returns the message posted. A text too long for one message is
   * posted as a file holding all of it, with one line saying so (see {@link uploadFile}).
   */
  post(where: ThreadRef, message: OutboundMessage): Promise<PostedMessage>;
  /**
   * Optional: posts a file into the thread (Slack files.uploadV2, a Discord attachment, a file
   * under `.data/files/` on the console) with its one-line comment, 👍/👎 on it when `feedback`
   * is given; returns the message that says the comment (or carries the file). Unset where the platform cannot.
   */
  uploadFile?(where: ThreadRef, file: OutboundFile, feedback?: FeedbackMark): Promise<PostedMessage>;
  /**
   * Optional: messages of a channel in `where`'s workspace, from the platform's own history
   * (oldest first). Another channel than `where`'s only when the bot and `query.requesterId`
   * are both members of it; otherwise throws UserInputError saying why. Unset where there is no history to read.
   */
  readChannel?(where: ConversationRef, query: ChannelQuery): Promise<readonly ChannelMessage[]>;
  /**
   * The thread that stands for the channel's top level: a post there is no reply to anything,
   * and the message posted is the root of a new thread (`{ ...conversation, thread: its id }`).
   */
  channelLevel(conversation: ConversationRef): ThreadRef;
  /** Replaces a message the bot posted. Adapters may ignore `options`; the core's outbound queue reads it. */
  update(posted: PostedMessage, message: OutboundMessage, options?: UpdateOptions): Promise<void>;
  /**
   * Shows a note to one user only (Slack ephemeral message). Platforms without such a
   * thing outside interactions (Discord) reply in the thread, addressed to the user.
   */
  ephemeral(where: ThreadRef, userId: string, message: OutboundMessage): Promise<void>;
  /**
   * Renders `message` without sending it, and throws PlatformLimitError when it cannot be shown
   * as given: a card element marked `whole` that does not fit, too many buttons, an id too long.
   * The core asks before it stores anything that a card must show in full.
   */
  validate(message: OutboundMessage): void;
  /** Answers what authority a user has; `candidateGroups` are the group/role ids worth checking. */
  authority(where: ConversationRef, userId: string, candidateGroups: readonly string[]): Promise<UserAuthority>;
  /**
   * Optional: the user ids of the members of a user group (Slack) or role (Discord) in `where`'s
   * workspace, as far as the platform tells them; null when `groupId` names no group (a user id).
   * Unset where there are no groups: every approver id is then a person.
   */
  groupMembers?(where: ConversationRef, groupId: string): Promise<readonly string[] | null>;
  /**
   * False where {@link ephemeral} is seen by the whole thread (Discord outside an interaction):
   * lists meant for one person then go by {@link directMessage}. Default true.
   */
  readonly notesArePrivate?: boolean;
  /** Replaces the user's own page in the app (Slack App Home). Unset where the platform has none. */
  publishHome?(owner: UserRef, view: HomeView): Promise<void>;
  /**
   * Sends the user a direct message from the bot; false, without sending, when `to` names no
   * one the bot can write to (a user-group or role id). Unset where the platform cannot.
   */
  directMessage?(to: UserRef, message: OutboundMessage): Promise<boolean>;
  /** A link to a message the bot posted, or null when the platform has none to give. Unset where it never has. */
  permalink?(posted: PostedMessage): Promise<string | null>;
  /**
   * Optional: the bytes of a file on a person's message, read as a stream, at most `maxBytes`
   * of them (`cut` when there were more: the download stops there). Only from the platform's
   * own file hosts: a handle anywhere else throws PlatformError `foreign_file_host` before any
   * request. Unset where messages carry no files.
   */
  fetchFile?(file: Attachment, maxBytes: number, signal?: AbortSignal): Promise<FetchedFile>;
  /**
   * Optional: an answer to `recipientUserId` shown in `where` as it is written. Platforms
   * without it get the answer in one post when it is complete.
   */
  streamAnswer?(where: ThreadRef, recipientUserId: string): AnswerStream;
  /**
   * Optional: shows that the bot is working on an answer in `where` to the message `replyTo`
   * (Discord's typing, a status line, a reaction on that message). A hint: failures may be
   * ignored. Returns how to take it away where it does not go by itself when the bot next
   * shows something there.
   */
  showWorking?(where: ThreadRef, replyTo: string | null): Promise<ClearWorking | void>;
  /**
   * Optional: where the bot's work in a thread stands (Slack's agent sessions: a status, a
   * title, and a native Stop while `processing`). A hint: the adapter answers a platform that
   * refuses it by doing nothing from then on, and throws only what may pass if tried again.
   */
  setSession?(where: ThreadRef, session: SessionUpdate): Promise<void>;
  /**
   * Optional: a run's progress as a stream of task cards, one per tool call, followed by the
   * run's answer (Slack's `task_update` chunks). Null where the platform cannot show one now
   * (then the run's progress is one message edited in place, with its Cancel button).
   */
  taskStream?(where: ThreadRef, recipientUserId: string): TaskStream | null;
}

/**
 * Where the work in a thread stands: `processing` (the bot is at it; a person may stop it),
 * `suspended` (it waits for a person, at a card), `active` (answered; the thread may go on),
 * `closed` (stopped, refused or failed: nothing more comes).
 */
export type SessionStatus = 'processing' | 'suspended' | 'active' | 'closed';

/** A session status to show; `title` and `initiatorUserId` name a session the call creates (an existing one keeps its own). */
export interface SessionUpdate {
  readonly status: SessionStatus;
  readonly title?: string;
  readonly initiatorUserId?: string;
}

/** One tool call as a task card: its title, its state, one line on how it goes, and its sources. */
export interface TaskCard {
  /** Stable for the call: a newer state of the same id replaces the card's older one. */
  readonly id: string;
  readonly title: string;
  readonly status: 'pending' | 'in_progress' | 'complete' | 'error';
  /** What it does now, e.g. `waiting for approval: see the card below`. */
  readonly details?: string;
  /** One line of its result. */
  readonly output?: string;
  /** What it read (a URL `http_get` fetched), or where it waits (its approval card). */
  readonly sources?: readonly SourceLink[];
}

/**
 * A run's tasks and answer as one stream in its thread, from {@link ChatPlatform.taskStream}.
 * `show` is given every task each time and sends only what changed since it last sent them;
 * the adapter keeps within its platform's limits and goes on in a new message where the
 * platform ended the old one. Nothing is sent before the first `show` or `answer().show`.
 */
export interface TaskStream {
  /** Shows the tasks' states; resolves to the stream's first message, or null while nothing is shown. */
  show(tasks: readonly TaskCard[]): Promise<PostedMessage | null>;
  /**
   * The run's words, written after its tasks. Ending the answer ends the stream, bringing the
   * cards to `lastTasks()` in the same go: their last states never hold the answer back.
   */
  answer(lastTasks: () => readonly TaskCard[]): AnswerStream;
  /** Ends the stream without more words (the run waits at a card, or ended another way). Ending it twice does nothing. */
  close(): Promise<void>;
}

/** Takes a working hint away. */
export type ClearWorking = () => Promise<void>;

/**
 * Answers the person who clicked or ran a command, visible to them alone. Adapters pass
 * one bound to the interaction (Discord's ephemeral follow-up, Slack's response_url);
 * otherwise the core falls back to {@link ChatPlatform.ephemeral}.
 */
export type PrivateReply = (message: OutboundMessage) => Promise<void>;
