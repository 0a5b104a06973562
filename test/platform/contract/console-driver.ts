/**
 * The contract driver for the console: the person types lines into the adapter's input
 * stream, and what they see is read from what the adapter wrote to its output, each
 * message ending with a line break (a streamed answer takes several writes).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { CONSOLE_THREAD, ConsoleAdapter } from '../../../src/adapters/console/console-adapter';
import { FEEDBACK_HINT } from '../../../src/adapters/console/console-renderer';
import { startFakeOpenAi } from '../../fakes/fake-openai';
import { buildCore, memoryLogger, POSTED_ANSWERS } from '../../support/core-harness';
import type { Shown, ShownButton } from '../../support/platform-matchers';
import { createTestDatabase } from '../../support/test-database';
import { buttonOf, commandWords, hasLogLine, type Conversation, type DriverSpec, type PlatformDriver, type ShownFile, type SlashCommand } from './driver';

const USER = { id: 'local:tester', name: 'tester' };
const NO_REDELIVERY = 'the console reads each line once';
/** The bar the console draws down a card's left side. */
const CARD_LINE = /^[│┃] /;

/** The console over piped streams, as `npm start` runs it without a TTY. */
export const consoleDriver: DriverSpec = {
  name: 'console',
  textLimit: null,
  quirks: { noRedelivery: NO_REDELIVERY, noMessageIds: 'the console shows no message ids' },
  start: async () => {
    const [db, llm] = await Promise.all([createTestDatabase(), startFakeOpenAi()]);
    const { log, lines } = memoryLogger();
    const input = new PassThrough();
    const writes: string[] = [];
    const output = new Writable({
      write(chunk: Buffer, _encoding, done) {
        writes.push(chunk.toString());
        done();
      },
    });
    const adapter = new ConsoleAdapter({ input, output, user: USER, filesDir: mkdtempSync(join(tmpdir(), 'switchboard-files-')) });
    const harness = buildCore({ db, platforms: [adapter], openAiBaseUrl: llm.baseUrl, log, settings: POSTED_ANSWERS });
    const running = adapter.run(harness.core);
    const driver: PlatformDriver = {
      adapter,
      llm,
      db,
      // The console has one conversation: each test's starts where the last one's output ended.
      open: async () => new ConsoleConversation(input, writes),
      logged: (msg, fields) => hasLogLine(lines(), msg, fields),
      settle: () => harness.queue.drain(),
      stop: async () => {
        input.end();
        await running;
        await harness.queue.drain();
        await llm.close();
        await db.close();
      },
    };
    return driver;
  },
};

class ConsoleConversation implements Conversation {
  readonly user = USER;
  readonly where = CONSOLE_THREAD;
  private readonly from: number;

  constructor(
    private readonly input: PassThrough,
    private readonly writes: readonly string[],
  ) {
    this.from = writes.length;
  }

  async say(text: string): Promise<void> {
    this.type(text);
  }

  async redeliver(): Promise<void> {
    throw new Error(NO_REDELIVERY);
  }

  async click(message: Shown, label: string): Promise<void> {
    this.type(buttonOf(message, label).key);
  }

  async command(command: SlashCommand): Promise<void> {
    // The console's commands are the core's own: `/help`, `/context set ...`.
    this.type(command.command === 'switchboard' ? `/${commandWords(command)}` : `/${command.command} ${commandWords(command)}`);
  }

  /** The files whose paths the console printed, read back from disk. */
  files(): ShownFile[] {
    const paths = [...this.writes.slice(this.from).join('').matchAll(/\(file: (.+)\)/g)].map((m) => m[1]!);
    return paths.map((path) => ({ name: basename(path).replace(/^bot-[^-]+-\d+-\d+-/, ''), text: readFileSync(path, 'utf8') }));
  }

  shown(): Shown[] {
    return messagesIn(this.writes.slice(this.from)).flatMap(shownBy);
  }

  private type(line: string): void {
    this.input.write(`${line}\n`);
  }
}

/** A message ends with a line break: an answer printed as it was written arrives in several writes. */
function messagesIn(writes: readonly string[]): string[] {
  const messages: string[] = [];
  let open = '';
  for (const write of writes) {
    open += write;
    if (!open.endsWith('\n')) continue;
    messages.push(open);
    open = '';
  }
  return open ? [...messages, open] : messages;
}

/** One message shown: `(updated)` heads an edit, `(only you)` starts each line of a private note. */
function shownBy(write: string): Shown[] {
  let lines = write.replace(/\n$/, '').split('\n');
  if (lines[0]?.startsWith('Switchboard console.')) return [];
  let kind: Shown['kind'] = 'post';
  if (lines[0] === '(updated)') {
    kind = 'edit';
    lines = lines.slice(1);
  } else if (lines.every((line) => line.startsWith('(only you) '))) {
    kind = 'private';
    lines = lines.map((line) => line.slice('(only you) '.length));
  }
  const card = lines.length > 0 && lines.every((line) => CARD_LINE.test(line));
  const body = card ? lines.map((line) => line.replace(CARD_LINE, '')) : lines;
  const buttons = card ? hotkeysIn(body.at(-1) ?? '') : body.at(-1) === FEEDBACK_HINT ? RATING_KEYS : [];
  const text = (buttons.length ? body.slice(0, -1) : body).join('\n');
  return [{ kind, messageId: null, ...(kind === 'private' ? { to: USER.id } : {}), text, buttons, inThread: true }];
}

/** An answer's last line, the hint to type + or -: the console's 👍/👎. */
const RATING_KEYS: ShownButton[] = [
  { key: '+', label: '👍' },
  { key: '-', label: '👎' },
];

/** A card's last line, `[a] Approve   [d] Deny`, as buttons pressed by typing their key. */
function hotkeysIn(line: string): ShownButton[] {
  return [...line.matchAll(/\[(\S)\] (\S+(?: \S+)*)/g)].map((m) => ({ key: m[1]!, label: m[2]! }));
}
