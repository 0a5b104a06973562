/** A file the bot posts into a thread, with the one line said with it. */
export interface OutboundFile {
  /** The file's name as people see it, e.g. `answer.md`. */
  readonly name: string;
  readonly data: Uint8Array;
  /** Its media type, e.g. `text/markdown`. */
  readonly mimeType: string;
  /** The one-line message that goes with it; empty: the file alone (a streamed answer already points to it). */
  readonly comment: string;
}

/** The name of the file a long answer becomes. */
export const ANSWER_FILE = 'answer.md';

/** A text as a UTF-8 file. */
export function textFile(name: string, text: string, comment: string, mimeType = 'text/markdown'): OutboundFile {
  return { name, data: new TextEncoder().encode(text), mimeType, comment };
}

/** The file an answer too long for one message becomes, with the line that says so. */
export function answerFile(text: string): OutboundFile {
  return textFile(ANSWER_FILE, text, `The answer is too long for one message (${text.length} characters): it is in the file ${ANSWER_FILE}.`);
}

/** What ends the shown part of a streamed answer that outgrew its message. */
export const SHOWN_PART_POINTER = `\n\n… (continued: the whole answer is in the file ${ANSWER_FILE})`;

/** A size as people read it: `512 B`, `20.1 KB`, `3.4 MB`. */
export function byteSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
