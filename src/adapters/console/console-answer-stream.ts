import type { FeedbackMark } from '../../core/model/card';
import type { AnswerStream, PostedMessage } from '../../core/ports/chat-platform';

/**
 * An answer printed as it is written: each `show` prints what is new, `finish` the rest and
 * the line's end, then the line `rated` gives for an answer that asks for feedback. `write`
 * prints without adding a newline.
 *
 * A line break ends a message on the console, so a partial answer is printed without its
 * trailing line breaks; they come out with the text that follows them, or at the finish.
 */
export function consoleAnswerStream(posted: PostedMessage, write: (text: string) => void, rated: (feedback: FeedbackMark) => string): AnswerStream {
  let printed = 0;
  const printUpTo = (text: string, end = ''): void => {
    const news = text.slice(printed) + end;
    if (news) write(news);
    printed = Math.max(printed, text.length);
  };
  return {
    show: async (textSoFar) => printUpTo(textSoFar.replace(/\n+$/, '')),
    finish: async (wholeText, feedback) => {
      printUpTo(wholeText, feedback ? `\n${rated(feedback)}\n` : '\n');
      return posted;
    },
  };
}
