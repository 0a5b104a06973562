import type { AnswerStream, PostedMessage } from '../../core/ports/chat-platform';

/**
 * An answer printed as it is written: each `show` prints what is new, `finish` the rest and
 * the line's end. `write` prints without adding a newline.
 */
export function consoleAnswerStream(posted: PostedMessage, write: (text: string) => void): AnswerStream {
  let shown = '';
  const printUpTo = (textSoFar: string, end = ''): void => {
    write(textSoFar.slice(shown.length) + end);
    shown = textSoFar;
  };
  return {
    show: async (textSoFar) => printUpTo(textSoFar),
    finish: async (wholeText) => {
      printUpTo(wholeText, '\n');
      return posted;
    },
  };
}
