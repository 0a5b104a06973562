import { text, type OutboundMessage } from '../../model/card';
import { CONTEXT_TYPES, type ContextFact, type ContextType } from '../../model/context-fact';
import { conversationOf, type ConversationRef, type Person, type ThreadRef } from '../../model/conversation';
import type { PrivateReply } from '../../ports/chat-platform';
import type { ConfirmationHolder, ContextStore } from '../../ports/stores';
import type { CoreDeps } from '../../core-deps';
import type { Command } from './command';
import { CLEAR_CONTEXT_CANCEL_ACTION, CLEAR_CONTEXT_CONFIRM_ACTION } from '../../model/action-ids';
import { checkManualFact, normalizeKey } from '../../context/context-rules';
import { quoteInput } from '../../text/quote-input';

export const CONTEXT_USAGE = [
  'context — everything I remember about this channel',
  `context <${CONTEXT_TYPES.join('|')}> — one kind only`,
  'context forget <key> — forget one fact',
  `context set <${CONTEXT_TYPES.join('|')}> <key> <value> — tell me a fact`,
  'context clear — forget everything (asks first)',
].join('\n');

/** How long a clear confirmation stays valid. */
export const CLEAR_CONFIRM_TTL_MS = 5 * 60_000;

const isType = (s: string | undefined): s is ContextType => CONTEXT_TYPES.includes(s as ContextType);

/** The bounds `context set` keeps; from CONTEXT_MAX_VALUE_CHARS and CONTEXT_MAX_FACTS. */
export interface ContextLimits {
  readonly maxValueChars: number;
  readonly maxFacts: number;
}

/** `context ...`: view, forget, set and clear what the bot remembers about this conversation. */
export function contextCommand(deps: Pick<CoreDeps, 'contexts' | 'confirmations' | 'clock'>, limits: ContextLimits): Command {
  const store = deps.contexts;
  return {
    name: 'context',
    usage: 'context [type | forget <key> | set <type> <key> <value> | clear]',
    summary: 'shows or edits what I remember about this channel',
    async run(command, reply) {
      const conversation = conversationOf(command.where);
      const [sub, ...rest] = command.args.split(/\s+/).filter(Boolean);
      if (!sub) return reply(text(formatFacts(await store.retrieveContext(conversation), 'I remember nothing about this channel yet.')));
      if (isType(sub) && rest.length === 0) {
        return reply(text(formatFacts(await store.retrieveContextByType(conversation, sub), `No ${sub} facts yet.`)));
      }
      if (sub === 'forget' && rest.length >= 1) {
        const key = normalizeKey(rest.join(' '));
        const gone = await store.forgetContext(conversation, key);
        return reply(text(gone ? `Forgot ${quoteInput(key)}.` : `I had nothing under ${quoteInput(key)}. Try !context to see the keys.`));
      }
      if (sub === 'set' && isType(rest[0]) && rest.length >= 3) {
        const [type, key, ...words] = rest as [ContextType, string, ...string[]];
        return reply(text(await setFact({ store, limits, conversation, by: command.user }, type, key, words.join(' '))));
      }
      if (sub === 'clear' && rest.length === 0) {
        const expiresAt = new Date(deps.clock.now().getTime() + CLEAR_CONFIRM_TTL_MS);
        const token = await deps.confirmations.issue(clearHolder(conversation, command.user), expiresAt);
        return reply(clearConfirmation(token));
      }
      return reply(text(`Usage:\n${CONTEXT_USAGE}`));
    },
  };
}

/**
 * `context set`: checks the fact (size, secrets), stores it as manual, then keeps the
 * conversation within its cap. Returns the answer. @throws UserInputError when refused.
 */
async function setFact(
  at: { store: ContextStore; limits: ContextLimits; conversation: ConversationRef; by: Person },
  type: ContextType,
  rawKey: string,
  value: string,
): Promise<string> {
  const key = normalizeKey(rawKey);
  checkManualFact(key, value, at.limits.maxValueChars);
  await at.store.storeContext(at.conversation, { type, key, value, source: 'manual', learnedFrom: at.by.name, sourceMessageId: null });
  const evicted = await at.store.evictOldest(at.conversation, at.limits.maxFacts);
  const note = evicted ? ` (I forgot the ${evicted} least recently updated fact${evicted === 1 ? '' : 's'} to stay within ${at.limits.maxFacts}.)` : '';
  return `Noted ${type} ${quoteInput(key)}: ${quoteInput(value)}${note}`;
}

/** Who may confirm a clear: the person who asked, in the conversation they asked in. */
function clearHolder(conversation: ConversationRef, user: Person): ConfirmationHolder {
  return { purpose: 'context_clear', conversation, userId: user.id };
}

/** The private "are you sure?" with buttons; both carry the one-time token issued to the asker. */
function clearConfirmation(token: string): OutboundMessage {
  return {
    text: 'Forget everything I remember about this channel?',
    card: {
      accent: 'warning',
      elements: [
        { type: 'text', text: 'Forget *everything* I remember about this channel? This cannot be undone.' },
        {
          type: 'actions',
          buttons: [
            { actionId: CLEAR_CONTEXT_CONFIRM_ACTION, value: token, label: 'Forget everything', style: 'danger' },
            { actionId: CLEAR_CONTEXT_CANCEL_ACTION, value: token, label: 'Keep it' },
          ],
        },
      ],
    },
  };
}

/**
 * Runs a confirmed clear if the clicker may clear and the token is theirs, for this
 * conversation, unused and unexpired. A refused token clears nothing, and the answer does
 * not say which check failed.
 */
export async function confirmClear(
  input: { where: ThreadRef; user: Person; token: string; allowed: boolean },
  deps: Pick<CoreDeps, 'contexts' | 'confirmations' | 'clock'>,
  reply: PrivateReply,
): Promise<void> {
  if (!input.allowed) return reply(text('Only an approver can clear this channel\'s context.'));
  const conversation = conversationOf(input.where);
  if (!(await deps.confirmations.redeem(input.token, clearHolder(conversation, input.user), deps.clock.now()))) {
    return reply(text('That confirmation is not valid here (it expired, was already used, or was not asked for by you in this channel); run !context clear again.'));
  }
  const removed = await deps.contexts.clearContext(conversation);
  await reply(text(`Forgot ${removed} fact${removed === 1 ? '' : 's'} about this channel.`));
}

function formatFacts(facts: readonly ContextFact[], empty: string): string {
  if (facts.length === 0) return empty;
  return CONTEXT_TYPES.map((type) => {
    const lines = facts.filter((f) => f.type === type).map(factLine);
    return lines.length ? `*${type}*\n${lines.join('\n')}` : '';
  })
    .filter(Boolean)
    .join('\n\n');
}

/** One fact with where it came from and when it was last learned or set, e.g. `(learned from alice, 2025-03-01 14:05 UTC)`. */
function factLine(fact: ContextFact): string {
  const value = typeof fact.value === 'string' ? fact.value : JSON.stringify(fact.value);
  const origin = fact.source === 'manual' ? `set manually${fact.learnedFrom ? ` by ${fact.learnedFrom}` : ''}` : `learned${fact.learnedFrom ? ` from ${fact.learnedFrom}` : ''}`;
  const when = `${fact.updatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `• ${fact.key}: ${value} (${origin}, ${when})`;
}
