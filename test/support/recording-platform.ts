import type { OutboundMessage } from '../../src/core/model/card';
import type { ConversationRef, Platform, ThreadRef } from '../../src/core/model/conversation';
import type { ChatPlatform, PostedMessage, UserAuthority } from '../../src/core/ports/chat-platform';

/** One call the core made on the platform port. */
export type PlatformCall =
  | { kind: 'post'; where: ThreadRef; message: OutboundMessage; messageId: string }
  | { kind: 'update'; posted: PostedMessage; message: OutboundMessage }
  | { kind: 'ephemeral'; where: ThreadRef; userId: string; message: OutboundMessage };

/**
 * A chat platform for core integration tests that records every call. It is not a
 * mock of a library: it implements our own port, the way the console adapter does.
 */
export class RecordingPlatform implements ChatPlatform {
  readonly calls: PlatformCall[] = [];
  private next = 0;
  /** User ids that count as workspace admins; group memberships by user id. */
  admins = new Set<string>();
  groups = new Map<string, string[]>();

  constructor(readonly platform: Platform = 'slack') {}

  async post(where: ThreadRef, message: OutboundMessage): Promise<PostedMessage> {
    const messageId = `m${++this.next}`;
    this.calls.push({ kind: 'post', where, message, messageId });
    return { where, messageId };
  }

  async update(posted: PostedMessage, message: OutboundMessage): Promise<void> {
    this.calls.push({ kind: 'update', posted, message });
  }

  async ephemeral(where: ThreadRef, userId: string, message: OutboundMessage): Promise<void> {
    this.calls.push({ kind: 'ephemeral', where, userId, message });
  }

  async authority(_where: ConversationRef, userId: string, candidates: readonly string[]): Promise<UserAuthority> {
    return { isAdmin: this.admins.has(userId), groups: (this.groups.get(userId) ?? []).filter((g) => candidates.includes(g)) };
  }

  posts(): Extract<PlatformCall, { kind: 'post' }>[] {
    return this.calls.filter((c): c is Extract<PlatformCall, { kind: 'post' }> => c.kind === 'post');
  }

  updates(): Extract<PlatformCall, { kind: 'update' }>[] {
    return this.calls.filter((c): c is Extract<PlatformCall, { kind: 'update' }> => c.kind === 'update');
  }

  ephemerals(): Extract<PlatformCall, { kind: 'ephemeral' }>[] {
    return this.calls.filter((c): c is Extract<PlatformCall, { kind: 'ephemeral' }> => c.kind === 'ephemeral');
  }

  /** Waits until `predicate` holds for the recorded calls, polling briefly. */
  async waitFor(predicate: (calls: PlatformCall[]) => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.calls)) {
      if (Date.now() > deadline) throw new Error(`timed out; calls so far: ${JSON.stringify(this.calls.map((c) => c.kind))}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
