import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { FEEDBACK_ACTION, opensForm } from '../../core/model/action-ids';
import { feedbackValue } from '../../core/model/feedback';
import type { Button, FeedbackMark, OutboundMessage } from '../../core/model/card';
import type { OutboundFile } from '../../core/model/outbound-file';
import type { Form } from '../../core/model/form';
import type { IncomingAction } from '../../core/model/incoming';
import type { ConversationRef, Person, ThreadRef } from '../../core/model/conversation';
import type { AnswerStream, ChatPlatform, PostedMessage, UserAuthority } from '../../core/ports/chat-platform';
import type { Core } from '../../core/ports/inbound';
import { parseCommandText } from '../../core/model/command-text';
import { consoleAnswerStream } from './console-answer-stream';
import { CONSOLE_FILES_DIR, saveConsoleFile } from './console-files';
import { CONSOLE_KEYS, FEEDBACK_HINT, FEEDBACK_KEYS, renderForConsole } from './console-renderer';

/** Options for {@link ConsoleAdapter}. */
export interface ConsoleOptions {
  input: Readable;
  output: Writable;
  user: Person;
  /** Redraw progress in place with ANSI codes; default: when output is a TTY. */
  interactive?: boolean;
  /** Where files the bot sends are written; default `.data/files`. */
  filesDir?: string;
}

/** What an interactive terminal shows while the bot works on an answer, erased by whatever it prints next. */
const WORKING_LINE = '… working';

/** The console's one conversation. */
export const CONSOLE_THREAD: ThreadRef = { platform: 'console', workspace: 'local', channel: 'terminal', thread: 'main' };

/**
 * A terminal chat with the core: lines are messages, `/name args` are commands, the
 * hotkeys of the last card shown (a, d, c, ...) press its buttons, and `+` or `-` rate the
 * last answer shown. Reads one line at a time and finishes each before the next, so piped
 * input is a reliable script.
 */
export class ConsoleAdapter implements ChatPlatform {
  readonly platform = 'console' as const;
  private core: Core | null = null;
  private posted = 0;
  private readonly hotkeys = new Map<string, { button: Button; messageId: string }>();
  private lastBlock: { messageId: string; lines: number } | null = null;
  /** The last answer that asked for feedback: its console id and its stored message's id. */
  private lastAnswer: { messageId: string; storedId: string } | null = null;
  private readonly runId = `${process.pid}-${Date.now()}`;
  private input: AsyncIterator<string> | null = null;
  private workingShown = false;

  constructor(private readonly options: ConsoleOptions) {}

  /** Reads input until it ends. */
  async run(core: Core): Promise<void> {
    this.core = core;
    this.print(['Switchboard console. Type a message, /help for commands, Ctrl-C to quit.']);
    this.input = createInterface({ input: this.options.input, terminal: false })[Symbol.asyncIterator]();
    let n = 0;
    for (let next = await this.input.next(); !next.done; next = await this.input.next()) {
      const line = next.value.trim();
      if (line) await this.dispatch(line, ++n);
    }
  }

  async post(_where: ThreadRef, message: OutboundMessage): Promise<PostedMessage> {
    const posted = this.nextMessage();
    if (message.feedback) this.lastAnswer = { messageId: posted.messageId, storedId: message.feedback.messageId };
    this.show(posted.messageId, message, false);
    return posted;
  }

  /** Writes the file under `.data/files/` (or `filesDir`) and prints its comment and path. */
  async uploadFile(where: ThreadRef, file: OutboundFile, feedback?: FeedbackMark): Promise<PostedMessage> {
    const posted = this.nextMessage();
    const path = await saveConsoleFile(this.options.filesDir ?? CONSOLE_FILES_DIR, posted.messageId, file);
    return this.post(where, { text: `${file.comment}\n(file: ${path})`, ...(feedback && { feedback }) });
  }

  /** Prints the answer as it arrives; a model's answer ends with the hint to rate it. */
  streamAnswer(): AnswerStream {
    const posted = this.nextMessage();
    return consoleAnswerStream(posted, (text) => this.write(text), (feedback) => {
      this.lastAnswer = { messageId: posted.messageId, storedId: feedback.messageId };
      return FEEDBACK_HINT;
    });
  }

  /** A status line, on an interactive terminal only: piped output stays a clean transcript. */
  async showWorking(): Promise<void> {
    if (!this.interactive()) return;
    this.write(WORKING_LINE);
    this.workingShown = true;
  }

  /** The terminal shows one conversation: every post lands in it, whatever its thread. */
  channelLevel(conversation: ConversationRef): ThreadRef {
    return { ...conversation, thread: '' };
  }

  async update(posted: PostedMessage, message: OutboundMessage): Promise<void> {
    this.show(posted.messageId, message, true);
  }

  async ephemeral(_where: ThreadRef, _userId: string, message: OutboundMessage): Promise<void> {
    this.print(renderForConsole(message).map((l) => `(only you) ${l}`));
  }

  /** A terminal shows any card in full. */
  validate(): void {}

  /** The console's only user runs the show: they count as an admin. */
  async authority(): Promise<UserAuthority> {
    return { isAdmin: true, groups: [] };
  }

  private async dispatch(line: string, n: number): Promise<void> {
    const core = this.core!;
    const where = CONSOLE_THREAD;
    const key = this.hotkeys.get(line.toLowerCase());
    if (key) {
      const { button, messageId } = key;
      const action: IncomingAction = { where, messageId, actionId: button.actionId, value: button.value, user: this.options.user };
      if (!opensForm(button.actionId)) return core.handleAction(action);
      const form = await core.openForm(action);
      if (form) return core.handleAction({ ...action, form: await this.ask(form) });
      return;
    }
    const rating = FEEDBACK_KEYS[line];
    if (rating && this.lastAnswer) {
      const { messageId, storedId } = this.lastAnswer;
      return core.handleAction({ where, messageId, actionId: FEEDBACK_ACTION, value: feedbackValue(storedId, rating), user: this.options.user });
    }
    const slash = parseCommandText(line, ['/']);
    if (slash) return core.handleCommand({ where, user: this.options.user, ...slash });
    await core.handleMessage({ where, messageId: `${this.runId}-${n}`, author: this.options.user, text: line });
  }

  /** A form as prompts: each field's label (and what it holds now), answered by the next line of input. */
  private async ask(form: Form): Promise<Record<string, string>> {
    this.print([`${form.title}: one line per field; an empty line keeps what is there.`]);
    const values: Record<string, string> = {};
    for (const field of form.fields) {
      this.print([`${field.label}${field.initial ? ` [${field.initial}]` : ''}:`]);
      const next = await this.input!.next();
      const answer = next.done ? '' : next.value.trim();
      values[field.id] = answer || field.initial || '';
    }
    return values;
  }

  private show(messageId: string, message: OutboundMessage, isUpdate: boolean): void {
    const lines = renderForConsole(message);
    this.rememberButtons(messageId, message);
    if (isUpdate && this.interactive() && this.lastBlock?.messageId === messageId) {
      // Move up over the previous rendering of this message and clear it.
      this.options.output.write(`\x1b[${this.lastBlock.lines}A\x1b[0J`);
    } else if (isUpdate) {
      lines.unshift('(updated)');
    }
    this.print(lines);
    this.lastBlock = { messageId, lines: lines.length };
  }

  private rememberButtons(messageId: string, message: OutboundMessage): void {
    for (const [key, target] of this.hotkeys) if (target.messageId === messageId) this.hotkeys.delete(key);
    for (const el of message.card?.elements ?? []) {
      if (el.type !== 'actions') continue;
      for (const button of el.buttons) {
        const key = CONSOLE_KEYS[button.label];
        if (key) this.hotkeys.set(key, { button, messageId });
      }
    }
  }

  private print(lines: string[]): void {
    this.write(`${lines.join('\n')}\n`);
  }

  /** Writes to the terminal, over the working line if one shows. */
  private write(text: string): void {
    if (this.workingShown) this.options.output.write('\r\x1b[2K');
    this.workingShown = false;
    this.options.output.write(text);
    this.lastBlock = null;
  }

  private interactive(): boolean {
    return this.options.interactive ?? Boolean((this.options.output as { isTTY?: boolean }).isTTY);
  }

  /** Unique across runs: the conversation (and its stored message ids) outlives this process. */
  private nextMessage(): PostedMessage {
    return { where: CONSOLE_THREAD, messageId: `bot-${this.runId}-${++this.posted}` };
  }
}
