import type { Logger } from '../../logging/logger';
import type { OutboundMessage } from '../model/card';
import { conversationKey, type ConversationRef, type ThreadRef } from '../model/conversation';
import type { AnswerStream, ChatPlatform, ClearWorking, PostedMessage, SessionUpdate, TaskStream, UpdateOptions, UserAuthority } from '../ports/chat-platform';
import { epochMs, type Clock } from '../ports/clock';
import { NO_METRICS, type Metrics } from '../ports/metrics';
import { ChannelLane } from './channel-lane';
import { pacedStream, pacedTaskStream } from './paced-stream';
import { DEFAULT_OUTBOUND, type OutboundSettings } from './retry-advice';

const LANE_SWEEP_MS = 10_000;

/**
 * A chat platform that sends through one {@link ChannelLane} per channel, so that every
 * post, edit, ephemeral note, streamed answer, working hint and session status to a channel shares its rate budget. Wraps any adapter;
 * reads (`authority`) pass straight through. The budget is per process: several bot
 * processes each keep their own, which the adapters' own 429 handling backs up. Each
 * attempt is counted in `metrics` by platform, kind and outcome (never by channel).
 */
export class OutboundPlatform implements ChatPlatform {
  readonly platform: ChatPlatform['platform'];
  readonly notesArePrivate: ChatPlatform['notesArePrivate'];
  // A home view and a direct message are not posts to a shared channel: they pass straight through.
  readonly publishHome: ChatPlatform['publishHome'];
  readonly directMessage: ChatPlatform['directMessage'];
  readonly permalink: ChatPlatform['permalink'];
  /** A read of a file people posted: no message, no channel budget. */
  readonly fetchFile: ChatPlatform['fetchFile'];
  /** A read, not a post: it passes straight through. */
  readonly readChannel: ChatPlatform['readChannel'];
  /** A read, not a post: it passes straight through. */
  readonly groupMembers: ChatPlatform['groupMembers'];
  /** Present when the adapter posts files; a file is a post to the channel and waits its turn like one. */
  readonly uploadFile?: ChatPlatform['uploadFile'];
  private readonly lanes = new Map<string, ChannelLane>();
  private readonly settings: OutboundSettings;
  private lastSweepAt: number;
  private streams = 0;
  /** Present when the adapter streams answers (see {@link pacedStream}). */
  readonly streamAnswer?: (where: ThreadRef, recipientUserId: string) => AnswerStream;
  /** Present when the adapter can show it is working; the hint is never retried (a late one would outlast the answer). */
  readonly showWorking?: (where: ThreadRef, replyTo: string | null) => Promise<ClearWorking | void>;
  /** Present when the adapter shows sessions; a status waits its turn like any call to the channel. */
  readonly setSession?: (where: ThreadRef, session: SessionUpdate) => Promise<void>;
  /** Present when the adapter streams task cards (see {@link pacedTaskStream}). */
  readonly taskStream?: (where: ThreadRef, recipientUserId: string) => TaskStream | null;

  constructor(
    private readonly inner: ChatPlatform,
    settings: Partial<OutboundSettings> | undefined,
    private readonly log: Logger,
    private readonly clock: Clock,
    private readonly metrics: Metrics = NO_METRICS,
  ) {
    this.platform = inner.platform;
    this.notesArePrivate = inner.notesArePrivate;
    this.publishHome = inner.publishHome?.bind(inner);
    this.directMessage = inner.directMessage?.bind(inner);
    this.permalink = inner.permalink?.bind(inner);
    this.fetchFile = inner.fetchFile?.bind(inner);
    this.readChannel = inner.readChannel?.bind(inner);
    this.groupMembers = inner.groupMembers?.bind(inner);
    this.settings = { ...DEFAULT_OUTBOUND, ...settings };
    this.lastSweepAt = epochMs(clock);
    const { streamAnswer, showWorking, setSession, taskStream, uploadFile } = inner;
    if (uploadFile) {
      this.uploadFile = (where, file, feedback) => this.lane(where).submit({ kind: 'post', priority: 'high' }, () => uploadFile.call(inner, where, file, feedback));
    }
    if (streamAnswer) {
      this.streamAnswer = (where, recipientUserId) => pacedStream(streamAnswer.call(inner, where, recipientUserId), this.lane(where), `stream-${++this.streams}`);
    }
    if (taskStream) {
      this.taskStream = (where, recipientUserId) => {
        const stream = taskStream.call(inner, where, recipientUserId);
        return stream && pacedTaskStream(stream, this.lane(where), `tasks-${++this.streams}`);
      };
    }
    if (setSession) {
      // A status is no message: it keeps its place in the channel's order but takes none of its message budget.
      this.setSession = (where, session) => this.lane(where).submit({ kind: 'session', priority: 'high', costless: true }, () => setSession.call(inner, where, session));
    }
    if (showWorking) {
      const hint = <T>(where: ThreadRef, call: () => Promise<T>) =>
        this.lane(where).submit({ kind: 'working', priority: 'high' }, () => call().catch((err: unknown) => this.log.debug({ err, channel: where.channel }, 'working hint not shown or cleared')));
      this.showWorking = async (where, replyTo) => {
        const clear = await hint(where, () => showWorking.call(inner, where, replyTo));
        // Taking the hint away is channel traffic too.
        return clear ? () => hint(where, clear) : undefined;
      };
    }
  }

  post(where: ThreadRef, message: OutboundMessage): Promise<PostedMessage> {
    return this.lane(where).submit({ kind: 'post', priority: 'high' }, () => this.inner.post(where, message));
  }

  channelLevel(conversation: ConversationRef): ThreadRef {
    return this.inner.channelLevel(conversation);
  }

  async update(posted: PostedMessage, message: OutboundMessage, options?: UpdateOptions): Promise<void> {
    await this.lane(posted.where).submit(
      { kind: 'update', priority: options?.priority ?? 'high', messageKey: posted.messageId },
      () => this.inner.update(posted, message, options),
    );
  }

  ephemeral(where: ThreadRef, userId: string, message: OutboundMessage): Promise<void> {
    return this.lane(where).submit({ kind: 'ephemeral', priority: 'high' }, () => this.inner.ephemeral(where, userId, message));
  }

  validate(message: OutboundMessage): void {
    this.inner.validate(message);
  }

  authority(where: ConversationRef, userId: string, candidateGroups: readonly string[]): Promise<UserAuthority> {
    return this.inner.authority(where, userId, candidateGroups);
  }

  private lane(where: ConversationRef): ChannelLane {
    this.forgetIdleLanes();
    const key = conversationKey(where);
    let lane = this.lanes.get(key);
    if (!lane) {
      const log = this.log.child({ platform: where.platform, channel: where.channel });
      lane = new ChannelLane(this.settings, log, this.clock, (attempt) => this.metrics.outboundCallEnded({ platform: this.platform, ...attempt }));
      this.lanes.set(key, lane);
    }
    return lane;
  }

  /** A bot in thousands of channels would otherwise keep a lane for every channel it ever spoke in. */
  private forgetIdleLanes(): void {
    const now = epochMs(this.clock);
    if (now - this.lastSweepAt < LANE_SWEEP_MS) return;
    this.lastSweepAt = now;
    for (const [key, lane] of this.lanes) if (lane.isIdle(now)) this.lanes.delete(key);
  }
}
