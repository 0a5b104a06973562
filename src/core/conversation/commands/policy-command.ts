import { text } from '../../model/card';
import { conversationOf } from '../../model/conversation';
import type { PolicyBook, PolicyChange } from '../../policy/policy-book';
import type { RuleLevel } from '../../policy/policy-text';
import type { IncomingCommand } from '../../model/incoming';
import type { PrivateReply } from '../../ports/chat-platform';
import type { Command } from './command';
import { POLICY_BUDGET_USAGE } from './policy-budget';

export const POLICY_USAGE = [
  'policy — the rules in effect here: each tool, how it runs, its approvers, four eyes, who set it and where it comes from',
  'policy allow|ask|hide <tool> [channel|workspace] — run it without asking, ask first, or hide it from the agent (default: this channel)',
  'policy approvers <tool> <people, groups or roles…> [channel|workspace] — who may approve it, instead of APPROVERS',
  'policy reset <tool> [channel|workspace] — remove the rule',
  `${POLICY_BUDGET_USAGE} — this channel's daily model-token limits, or its own for each person or the channel`,
  '<tool> may be `server__*`: every tool of one MCP server. Changes need a workspace admin or POLICY_ADMINS.',
].join('\n');

const LEVELS: readonly string[] = ['channel', 'workspace'] satisfies RuleLevel[];
const RUN_WORDS = { allow: 'auto', ask: 'ask', hide: 'hide' } as const;

/**
 * A mention as the platforms write it, to the id a rule stores: Slack `<@U1|name>` and user
 * groups `<!subteam^S1|@name>`, Discord `<@1>`, `<@!1>` and roles `<@&1>`. Anything else is taken as an id.
 */
export function mentionedId(word: string): string {
  const match = /^<(?:@[!&]?|!subteam\^)([^|>]+)(?:\|[^>]*)?>$/.exec(word);
  return match ? match[1]! : word;
}

/** `allow|ask|hide|approvers|reset <tool> …` to the change it asks for; null when it does not parse. */
export function parsePolicyChange(words: readonly string[]): PolicyChange | null {
  const [verb, tool, ...rest] = words;
  if (!verb || !tool) return null;
  const level = (LEVELS.includes(rest.at(-1) ?? '') ? rest.pop() : 'channel') as RuleLevel;
  if (verb in RUN_WORDS && !rest.length) return { change: { kind: 'run', run: RUN_WORDS[verb as keyof typeof RUN_WORDS] }, tool, level };
  if (verb === 'reset' && !rest.length) return { change: { kind: 'reset' }, tool, level };
  if (verb === 'approvers' && rest.length) return { change: { kind: 'approvers', approvers: rest.map(mentionedId) }, tool, level };
  return null;
}

/** `policy budget …`, handed the words after `budget` (policy-budget.ts). */
export type BudgetSubcommand = (command: IncomingCommand, args: string, reply: PrivateReply) => Promise<void>;

/** `policy ...`: what runs by itself here, who approves it, and the channel's budgets (docs/policy.md). Answers are private; changes are announced. */
export function policyCommand(book: PolicyBook, budget: BudgetSubcommand): Command {
  return {
    name: 'policy',
    usage: 'policy | allow|ask|hide|reset <tool> [channel|workspace] | approvers <tool> <mentions…> [channel|workspace] | budget [<tokens>|default] [user|channel]',
    summary: 'shows or changes which tools run without asking here, and who approves them',
    async run(command, reply) {
      const words = command.args.split(/\s+/).filter(Boolean);
      if (!words.length || (words[0] === 'list' && words.length === 1)) return reply(text(await book.list(conversationOf(command.where))));
      if (words[0] === 'budget') return budget(command, words.slice(1).join(' '), reply);
      const change = parsePolicyChange(words);
      if (!change) return reply(text(`Unknown or incomplete policy subcommand. Usage:\n${POLICY_USAGE}`));
      return reply(text(await book.change(change, command.user, command.where)));
    },
  };
}
