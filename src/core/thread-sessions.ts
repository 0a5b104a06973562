import type { Logger } from '../logging/logger';
import type { ThreadRef } from './model/conversation';
import type { SessionStatus, SessionUpdate } from './ports/chat-platform';
import type { PlatformDirectory } from './ports/platforms';
import { truncate } from './text/truncate';

/** A session title's most characters: Slack takes 200, and its thread list shows about this much. */
const TITLE_CHARS = 60;

/**
 * Where the bot's work in each thread stands, on platforms that show it (Slack's agent
 * sessions): `processing` when a turn starts or a decision lets a run go on, `suspended` at a
 * card, `active` once answered, `closed` when stopped, refused or failed. Nothing waits for a
 * status and none can fail a turn or a step: each goes through the channel's outbound lane
 * (behind what was sent before it, in the order shown) and a failure is only logged.
 */
export class ThreadSessions {
  constructor(
    private readonly platforms: PlatformDirectory,
    private readonly log: Logger,
  ) {}

  /** Shows `status` for the thread; `details` name a session this creates (its title, who started it). */
  show(where: ThreadRef, status: SessionStatus, details: Omit<SessionUpdate, 'status'> = {}): void {
    const platform = this.platforms.names().includes(where.platform) ? this.platforms.get(where.platform) : null;
    if (!platform?.setSession) return;
    // Not on the caller's tick: a turn starts inside the call that acknowledges its message,
    // and even building the status's request must not come before that acknowledgement.
    setImmediate(() => {
      platform.setSession!(where, { status, ...details }).catch((err: unknown) => this.log.debug({ err, where, status }, 'session status not shown'));
    });
  }
}

/** A question's first line, cut to a title. */
export function titleOf(text: string): string {
  const firstLine = text.trim().split('\n', 1)[0]!.trim();
  return truncate(firstLine || 'New conversation', TITLE_CHARS);
}
