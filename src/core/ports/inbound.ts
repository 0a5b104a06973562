/**
 * The inbound half of the seam: what adapters and workers call on the core. The outbound
 * half (what the core calls on a platform) is chat-platform.ts.
 */
import type { IncomingAction, IncomingCommand, IncomingMessage } from '../model/incoming';
import type { PrivateReply } from './chat-platform';

/** How an adapter qualifies a message it hands over. */
export interface HandleMessageOptions {
  /**
   * Only act when the bot already has messages in this thread (a follow-up without a
   * mention); otherwise the message is ignored and not stored. Default false.
   */
  readonly onlyKnownThread?: boolean;
}

/** The orchestration core as adapters and workers see it. */
export interface Core {
  handleMessage(message: IncomingMessage, options?: HandleMessageOptions): Promise<void>;
  /** `reply` defaults to the platform's ephemeral note to the clicker. */
  handleAction(action: IncomingAction, reply?: PrivateReply): Promise<void>;
  handleCommand(command: IncomingCommand, reply?: PrivateReply): Promise<void>;
  /** Runs an approved request (the execution queue's worker calls this). */
  runRequest(requestId: string): Promise<void>;
  /** Expires overdue pending requests and edits their cards (the scheduler calls this). */
  expireDueRequests(): Promise<number>;
  /** Hands approved runs without a job, and runs whose worker died, back to the queue (the scheduler calls this). */
  recoverStalledRuns(): Promise<number>;
}
