/**
 * Jest matchers on what a chat platform showed, read from a contract driver's record of
 * what the fake platform received (Slack Web API calls, Discord REST calls, console output),
 * translated into one shape. Importing this file registers them.
 */

/** A button as a person sees it, and what the platform sends back when it is pressed (the driver's business). */
export interface ShownButton {
  readonly label: string;
  readonly key: string;
}

/** One thing a platform showed in a conversation, as a person would see it. */
export interface Shown {
  /** A new message, a message replaced, or a note for one person. */
  readonly kind: 'post' | 'edit' | 'private';
  /** The message posted or edited, as the platform names it; null where the platform shows none (the console). */
  readonly messageId: string | null;
  /** Who a private note is for. */
  readonly to?: string;
  /** All its visible text: a message's text, or a card's header, body, fields and small print. */
  readonly text: string;
  readonly buttons: readonly ShownButton[];
  /** Whether it went into the conversation's thread, rather than the channel's top level. */
  readonly inThread: boolean;
}

/** What the matchers read: a contract driver's conversation. */
export interface ShownLog {
  shown(): readonly Shown[];
}

/** What a shown message must be like; every field is optional. */
export interface ShownExpectation {
  /** The whole text (trimmed), or a pattern it matches. */
  readonly text?: string | RegExp;
  /** Exactly these button labels, in order; [] for none. */
  readonly buttons?: readonly string[];
  readonly inThread?: boolean;
}

/** For {@link toHaveEdited} on a platform whose edits do not say which message they replace. */
export const ANY_MESSAGE = Symbol('any message');

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- jest's matcher types live in this namespace
  namespace jest {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars -- must repeat jest's own declaration
    interface Matchers<R, T = {}> {
      /** Some new message matches `expected`. */
      toHavePosted(expected: ShownExpectation): R;
      /** Message `messageId` (or, with ANY_MESSAGE, some message) was replaced by one matching `expected`. */
      toHaveEdited(messageId: string | typeof ANY_MESSAGE, expected: ShownExpectation): R;
      /** A note for `userId` alone matches `expected`. */
      toHaveShownPrivately(userId: string, expected: ShownExpectation): R;
    }
  }
}

function matches(shown: Shown, expected: ShownExpectation): boolean {
  const { text, buttons, inThread } = expected;
  if (typeof text === 'string' && shown.text.trim() !== text) return false;
  if (text instanceof RegExp && !text.test(shown.text)) return false;
  if (buttons && JSON.stringify(shown.buttons.map((b) => b.label)) !== JSON.stringify(buttons)) return false;
  return inThread === undefined || shown.inThread === inThread;
}

function describeShown(shown: readonly Shown[]): string {
  if (shown.length === 0) return '  (nothing shown)';
  return shown
    .map((s) => {
      const who = s.kind === 'private' ? ` for ${s.to}` : '';
      const id = s.messageId === null ? '' : ` ${s.messageId}`;
      const buttons = s.buttons.length ? ` [${s.buttons.map((b) => b.label).join(', ')}]` : '';
      const text = s.text.length > 120 ? `${s.text.slice(0, 117)}...` : s.text;
      return `  ${s.kind}${id}${who}${s.inThread ? ' (in thread)' : ''}: ${JSON.stringify(text)}${buttons}`;
    })
    .join('\n');
}

function verdict(
  this: jest.MatcherContext,
  log: ShownLog,
  wanted: string,
  expected: ShownExpectation,
  candidate: (s: Shown) => boolean,
): jest.CustomMatcherResult {
  const shown = log.shown();
  const pass = shown.some((s) => candidate(s) && matches(s, expected));
  const expectation = this.utils.printExpected({ ...expected, text: expected.text instanceof RegExp ? String(expected.text) : expected.text });
  return {
    pass,
    message: () => `expected ${pass ? 'no ' : ''}${wanted} like ${expectation}; the platform showed:\n${describeShown(shown)}`,
  };
}

expect.extend({
  toHavePosted(log: ShownLog, expected: ShownExpectation) {
    return verdict.call(this, log, 'new message', expected, (s) => s.kind === 'post');
  },
  toHaveEdited(log: ShownLog, messageId: string | typeof ANY_MESSAGE, expected: ShownExpectation) {
    const target = messageId === ANY_MESSAGE ? 'an edit of any message' : `an edit of message ${messageId}`;
    return verdict.call(this, log, target, expected, (s) => s.kind === 'edit' && (messageId === ANY_MESSAGE || s.messageId === messageId));
  },
  toHaveShownPrivately(log: ShownLog, userId: string, expected: ShownExpectation) {
    return verdict.call(this, log, `note for ${userId} alone`, expected, (s) => s.kind === 'private' && s.to === userId);
  },
});
