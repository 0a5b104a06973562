import type { types, webApi } from '@slack/bolt';
import { PlatformError } from '../../core/errors';
import type { ThreadRef } from '../../core/model/conversation';
import type { AnswerStream, PostedMessage, TaskCard, TaskStream } from '../../core/ports/chat-platform';
import type { Logger } from '../../logging/logger';
import { SlackAnswerStream } from './slack-answer-stream';
import { SlackStream, type Recipient } from './slack-stream';

/**
 * A run's task cards streamed into its thread as `task_update` chunks
 * (https://docs.slack.dev/messaging/sending-and-scheduling-messages#text-streaming), the run's
 * words after them in the same stream. Each card is sent again only when it changed. A stream
 * Slack refuses to start (streaming off for this app) is reported through `refused`, so the
 * adapter offers no more task streams and runs show an edited message instead.
 */
export class SlackTaskStream implements TaskStream {
  private readonly stream: SlackStream;
  /** Each card as last sent, by id. */
  private readonly sent = new Map<string, string>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly where: ThreadRef,
    private readonly recipient: Recipient | null,
    private readonly log: Logger,
    private readonly refused: () => void,
  ) {
    this.stream = new SlackStream(client, where, recipient, log);
  }

  async show(tasks: readonly TaskCard[]): Promise<PostedMessage | null> {
    const changed = this.changed(tasks);
    if (changed.length > 0) {
      try {
        await this.stream.send({ tasks: changed });
      } catch (error) {
        if (this.stream.firstTs === null && error instanceof PlatformError && error.context.retryable === false) this.refused();
        throw error;
      }
      this.markSent(changed);
    }
    const first = this.stream.firstTs;
    return first === null ? null : { where: this.where, messageId: first };
  }

  answer(lastTasks: () => readonly TaskCard[]): AnswerStream {
    // The cards' last changes go with the stream's end: one call, taken as sent.
    const last = () => this.markSent(this.changed(lastTasks()));
    return new SlackAnswerStream(this.client, this.where, this.recipient, this.log, this.stream, last);
  }

  close(): Promise<void> {
    return this.stream.end();
  }

  private changed(tasks: readonly TaskCard[]): types.TaskUpdateChunk[] {
    return tasks.map(taskChunk).filter((chunk) => this.sent.get(chunk.id) !== JSON.stringify(chunk));
  }

  private markSent(chunks: types.TaskUpdateChunk[]): types.TaskUpdateChunk[] {
    for (const chunk of chunks) this.sent.set(chunk.id, JSON.stringify(chunk));
    return chunks;
  }
}

/** A task card as Slack's chunk; its links as `url` sources. */
function taskChunk(task: TaskCard): types.TaskUpdateChunk {
  return {
    type: 'task_update',
    id: task.id,
    title: task.title,
    status: task.status,
    ...(task.details && { details: task.details }),
    ...(task.output && { output: task.output }),
    ...(task.sources?.length && { sources: task.sources.map((s) => ({ type: 'url' as const, url: s.url, text: s.text })) }),
  };
}
