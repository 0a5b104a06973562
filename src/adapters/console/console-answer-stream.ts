import type { FeedbackMark } from '../../core/model/card';
import type { AnswerStream, PostedMessage } from '../../core/ports/chat-platform';

/**
 * An answer printed as it is written: each `show` prints what is new, `finish` the rest and
 * the line's end, then the line `rated` gives for an answer that asks for feedback. `write`
 * prints without adding a newline.
 */
export function consoleAnswerStream(posted: PostedMessage, write: (text: string) => void, rated: (feedback: FeedbackMark) => string): AnswerStream {
  let shown = '';
  const printUpTo = (textSoFar: string, end = ''): void => {
    write(textSoFar.slice(shown.length) + end);
    shown = textSoFar;
  };
  return {
    show: async (textSoFar) => printUpTo(textSoFar),
    finish: async (wholeText, feedback) => {
      printUpTo(wholeText, feedback ? `\n${rated(feedback)}\n` : '\n');
      return posted;
    },
  };
}
