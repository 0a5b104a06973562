import type { OutboundMessage } from '../../src/core/model/card';
import type { OutboundFile } from '../../src/core/model/outbound-file';
import type { ConversationRef, Platform, ThreadRef } from '../../src/core/model/conversation';
import type { ChatPlatform, PostedMessage, UpdateOptions, UserAuthority } from '../../src/core/ports/chat-platform';
import { epochMs, type Clock } from '../../src/core/ports/clock';

/** One call the core made on the platform port, with when it arrived (epoch ms on the platform's clock). */
export type PlatformCall =
  | { kind: 'post'; where: ThreadRef; message: OutboundMessage; messageId: string; at: number }
  | { kind: 'update'; posted: PostedMessage; message: OutboundMessage; at: number; options?: UpdateOptions }
  | { kind: 'ephemeral'; where: ThreadRef; userId: string; message: OutboundMessage; at: number };

/** Options for {@link RecordingPlatform}. */
export interface RecordingOptions {
  /** Prefix of the message ids it hands out; default `m`. Give each process its own. */
  idPrefix?: string;
  /** Called with each recorded call (a child process prints them for its parent). */
  onCall?: (call: PlatformCall) => void;
  /** What stamps each call's `at`; default the system clock. Give it the core's clock to compare the two. */
  clock?: Clock;
}

/** A scripted failure: the next call of `kind` that `when` accepts throws `error` (and is not recorded). */
interface ScriptedFailure {
  kind: PlatformCall['kind'];
  error: unknown;
  when: (message: OutboundMessage) => boolean;
}

/**
 * A chat platform for core integration tests that records every call. It is not a
 * mock of a library: it implements our own port, the way the console adapter does.
 */
export class RecordingPlatform implements ChatPlatform {
  readonly calls: PlatformCall[] = [];
  /** Files sent, in order, with where they went. */
  readonly files: { where: ThreadRef; file: OutboundFile }[] = [];
  /** Calls that threw a scripted failure, with when they arrived. */
  readonly failed: { kind: PlatformCall['kind']; at: number; error: unknown }[] = [];
  private next = 0;
  private readonly failures: ScriptedFailure[] = [];
  /** User ids that count as workspace admins; group memberships by user id. */
  admins = new Set<string>();
  groups = new Map<string, string[]>();
  /** What `validate` checks; by default any message fits. Set it to play a platform with limits. */
  validator: (message: OutboundMessage) => void = () => undefined;

  constructor(
    readonly platform: Platform = 'slack',
    private readonly options: RecordingOptions = {},
  ) {}

  /** Makes the next `kind` call whose message `when` accepts throw `error` instead. */
  failNext(kind: PlatformCall['kind'], error: unknown, when: (message: OutboundMessage) => boolean = () => true): void {
    this.failures.push({ kind, error, when });
  }

  async post(where: ThreadRef, message: OutboundMessage): Promise<PostedMessage> {
    this.maybeFail('post', message);
    const messageId = `${this.options.idPrefix ?? 'm'}${++this.next}`;
    this.record({ kind: 'post', where, message, messageId, at: this.now() });
    return { where, messageId };
  }

  /** A channel's top level is the empty thread, as on Slack. */
  channelLevel(conversation: ConversationRef): ThreadRef {
    return { ...conversation, thread: '' };
  }

  /** A file is recorded as the post of its line; its bytes are kept in {@link files}. */
  async uploadFile(where: ThreadRef, file: OutboundFile): Promise<PostedMessage> {
    this.files.push({ where, file });
    return this.post(where, { text: file.comment });
  }

  async update(posted: PostedMessage, message: OutboundMessage, options?: UpdateOptions): Promise<void> {
    this.maybeFail('update', message);
    this.record({ kind: 'update', posted, message, at: this.now(), ...(options && { options }) });
  }

  async ephemeral(where: ThreadRef, userId: string, message: OutboundMessage): Promise<void> {
    this.maybeFail('ephemeral', message);
    this.record({ kind: 'ephemeral', where, userId, message, at: this.now() });
  }

  validate(message: OutboundMessage): void {
    this.validator(message);
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

  private now(): number {
    return this.options.clock ? epochMs(this.options.clock) : Date.now();
  }

  private record(call: PlatformCall): void {
    this.calls.push(call);
    this.options.onCall?.(call);
  }

  private maybeFail(kind: PlatformCall['kind'], message: OutboundMessage): void {
    const index = this.failures.findIndex((f) => f.kind === kind && f.when(message));
    if (index < 0) return;
    const [failure] = this.failures.splice(index, 1);
    this.failed.push({ kind, at: this.now(), error: failure!.error });
    throw failure!.error;
  }
}
