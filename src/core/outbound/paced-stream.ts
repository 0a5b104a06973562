import type { AnswerStream, TaskStream } from '../ports/chat-platform';
import type { ChannelLane } from './channel-lane';

/**
 * An answer stream whose calls wait their turn in the channel's lane as edits of one
 * message: at most one per `editIntervalMs`, a queued `show` replaced by a newer one (each
 * says the whole text so far, so appends coalesce instead of queueing one call per piece),
 * and a failed call retried by the lane (after a 429's Retry-After) with the text it then has.
 * The end (`finish`) goes before other channel traffic waiting as low priority.
 */
export function pacedStream(inner: AnswerStream, lane: ChannelLane, messageKey: string): AnswerStream {
  const submit = <T>(priority: 'high' | 'low', call: () => Promise<T>): Promise<T> => lane.submit({ kind: 'stream', priority, messageKey }, call);
  return {
    show: async (textSoFar) => {
      await submit('low', () => inner.show(textSoFar));
    },
    finish: (wholeText, feedback) => submit('high', () => inner.finish(wholeText, feedback)),
  };
}

/**
 * A run's task stream whose calls wait their turn in the channel's lane: task updates as edits
 * of one message (paced, a queued one replaced by a newer one), the answer as a paced stream of
 * its own key, the end at once. The caller awaits each task update before the next and before
 * the end (RunProgress's writer does), so the end never overtakes what it ends.
 */
export function pacedTaskStream(inner: TaskStream, lane: ChannelLane, messageKey: string): TaskStream {
  return {
    // A queued update that a newer one replaced resolves with nothing: the newer one carries the message.
    show: async (tasks) => (await lane.submit({ kind: 'stream', priority: 'low', messageKey }, () => inner.show(tasks))) ?? null,
    answer: (lastTasks) => pacedStream(inner.answer(lastTasks), lane, `${messageKey}-answer`),
    close: () => lane.submit({ kind: 'stream', priority: 'high' }, () => inner.close()),
  };
}
