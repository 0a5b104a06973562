/**
 * The inbound half of the seam: what adapters and workers call on the core. The outbound
 * half (what the core calls on a platform) is chat-platform.ts.
 */
import type { Form } from '../model/form';
import type { UserRef } from '../model/inbox';
import type { IncomingAction, IncomingCommand, IncomingMessage } from '../model/incoming';
import type { Person, ThreadRef } from '../model/conversation';
import type { ViewedChannel } from '../model/viewed-channel';
import type { PrivateReply } from './chat-platform';

/** How an adapter qualifies a message it hands over. */
export interface HandleMessageOptions {
  /**
   * Only act when the bot already has messages in this thread (a follow-up without a
   * mention); otherwise the message is ignored and not stored. Default false.
   */
  readonly onlyKnownThread?: boolean;
  /**
   * The author's display name, for an adapter that handed the message over with a stand-in
   * (the user id) so as not to make the platform wait for a lookup. Called only once the
   * message is stored; its answer is written to the stored message before the turn starts.
   * Default: the message's author name is final.
   */
  readonly lookUpAuthorName?: () => Promise<string>;
  /**
   * For a message in a private assistant thread (Slack's assistant panel): how that thread
   * shows a turn. Default: a thread like any other.
   */
  readonly assistantThread?: AssistantThreadDisplay;
}

/**
 * What an assistant thread shows around a turn. The core shows "thinking" once the message is
 * stored and clears it when the turn ends, answered or not, and titles the thread after its
 * first question. A failure here is logged and never stops the answer.
 */
export interface AssistantThreadDisplay {
  /** Shows (true) or clears (false) that an answer is on its way. */
  showThinking(thinking: boolean): Promise<void>;
  /** Names the thread (a short title). */
  setTitle(title: string): Promise<void>;
}

/** What became of a message handed to {@link Core.acceptMessage}. */
export interface Accepted {
  /** `stored`: its row is committed and its turn started; `duplicate`: a redelivery, already stored; `ignored`: not for the bot. */
  readonly outcome: 'stored' | 'duplicate' | 'ignored';
  /** Settles, never rejects, once the reply work the message started has ended (at once unless `stored`). */
  readonly turn: Promise<void>;
}

/** The orchestration core as adapters and workers see it. */
export interface Core {
  /**
   * Stores a message and starts its turn without waiting for it. Resolves once the row is
   * committed (or found to be a redelivery, or the message ignored); rejects, with a
   * StoreUnavailableError when the database did not answer in time, when it could not be
   * stored: the adapter should then have the platform deliver it again.
   */
  acceptMessage(message: IncomingMessage, options?: HandleMessageOptions): Promise<Accepted>;
  /**
   * Records the channel a person views beside their assistant thread (null: none), as the
   * platform reported it at `at`; the thread's later prompts name it (never its contents).
   */
  noteViewedChannel(thread: ThreadRef, viewed: ViewedChannel | null, at: Date): Promise<void>;
  /** Whether the caller is the one to greet a new assistant thread: true once per thread, however many deliveries and replicas. */
  claimAssistantGreeting(thread: ThreadRef): Promise<boolean>;
  /** {@link acceptMessage}, then waits for the turn: for the console and tests. */
  handleMessage(message: IncomingMessage, options?: HandleMessageOptions): Promise<void>;
  /** `reply` defaults to the platform's ephemeral note to the clicker. */
  handleAction(action: IncomingAction, reply?: PrivateReply): Promise<void>;
  /**
   * A person asked to stop what runs in a thread (Slack's Stop on an agent session): its runs
   * are cancelled and an answer being written stops, as their Cancel would; someone who may
   * not is told so through `reply` (default: an ephemeral note in the thread).
   */
  stopThread(where: ThreadRef, user: Person, reply?: PrivateReply): Promise<void>;
  handleCommand(command: IncomingCommand, reply?: PrivateReply): Promise<void>;
  /**
   * For a click on a button that opens a form (`opensForm(actionId)`): the form to show as the
   * click's first answer, or null when it may not open (the why answered through `reply`). The
   * submission comes back through `handleAction` with `form` values.
   */
  openForm(action: IncomingAction, reply?: PrivateReply): Promise<Form | null>;
  /**
   * Publishes `owner`'s home view (Slack App Home): what waits for their decision and their own
   * recent requests, with `note` on top (the answer to their last click there). The adapter
   * calls it whenever the person opens their home; the core keeps it fresh for a while after.
   */
  openHome(owner: UserRef, note?: string): Promise<void>;
  /** Takes a run one step further (the execution queue's worker calls this for every job). */
  advanceRun(runId: string): Promise<void>;
  /** Expires overdue requests, edits their cards and ends their runs (the scheduler calls this). */
  expireDueRequests(): Promise<number>;
  /** Sends the reminders of pending requests now due, each once across processes (the scheduler calls this). Returns how many requests reminded. */
  remindDueRequests(): Promise<number>;
  /** Hands runs with a step due and no live worker back to the queue; posts results left unposted (the scheduler calls this). */
  recoverStalledRuns(): Promise<number>;
  /** Answers turns another process claimed and died before answering (the scheduler calls this). */
  recoverTurns(): Promise<number>;
  /** Fires the schedules due now that no other process fired, each in the background (the schedule sweep calls this). Returns how many. */
  fireDueSchedules(): Promise<number>;
  /**
   * Reads every policy rule and starts listening for changes (docs/policy.md); app.ts awaits it
   * before the adapters start, so that no message waits on it. Otherwise the first lookup does it.
   */
  loadPolicy(): Promise<void>;
  /** Resolves once the work the core started in the background (telling how runs ended) is done. */
  idle(): Promise<void>;
}
