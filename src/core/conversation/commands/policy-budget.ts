import { isPolicyAdmin } from '../../approvals/decision-policy';
import type { BudgetOverride, BudgetScope } from '../../model/token-budget';
import { text } from '../../model/card';
import { conversationOf, type ConversationRef } from '../../model/conversation';
import type { IncomingCommand } from '../../model/incoming';
import type { BudgetStore } from '../../ports/budget-store';
import type { PrivateReply } from '../../ports/chat-platform';
import type { PlatformDirectory } from '../../ports/platforms';
import type { ApprovalPolicy } from '../../model/approval-policy';

/** What `policy budget` needs. */
export interface PolicyBudgetDeps {
  readonly budgets: BudgetStore;
  readonly platforms: PlatformDirectory;
  readonly policy: ApprovalPolicy;
  /** The environment's limits, shown where a channel has none of its own. */
  readonly defaults: Readonly<Record<BudgetScope, number>>;
}

export const POLICY_BUDGET_USAGE = 'policy budget [<tokens>|default] [user|channel]';

/** A `policy budget` asked for: show this channel's limits, or set (null: drop) its own for a scope. */
export type BudgetChange = { readonly kind: 'show' } | { readonly kind: 'set'; readonly scope: BudgetScope; readonly tokens: number | null };

const MAX_TOKENS = 1_000_000_000;
const SUFFIX: Record<string, number> = { '': 1, k: 1_000, m: 1_000_000 };

/**
 * Parses the words after `policy budget`: nothing (show), or a daily limit (`50000`, `50k`,
 * `2m`; 0 = no limit in this channel) or `default` (the environment's again), then whom it
 * counts: `user` (each person here) or `channel` (the channel as a whole, the default).
 * A string is why it does not parse.
 */
export function parseBudgetChange(args: string): BudgetChange | string {
  const words = args.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { kind: 'show' };
  if (words.length > 2) return `Usage: ${POLICY_BUDGET_USAGE}`;
  const scope = (words[1] ?? 'channel').toLowerCase();
  if (scope !== 'user' && scope !== 'channel') return `Say \`user\` (each person in this channel) or \`channel\` (the channel as a whole), not \`${scope.slice(0, 20)}\`.`;
  if (words[0]!.toLowerCase() === 'default') return { kind: 'set', scope, tokens: null };
  const match = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(words[0]!);
  const tokens = match ? Math.round(Number(match[1]) * SUFFIX[match[2]!.toLowerCase()]!) : NaN;
  if (!Number.isFinite(tokens) || tokens > MAX_TOKENS) return `A daily budget is a number of tokens such as 50000, 50k or 2m (0 for no limit here), or \`default\`. Usage: ${POLICY_BUDGET_USAGE}`;
  return { kind: 'set', scope, tokens };
}

/**
 * `policy budget …`: shows this channel's daily token limits, or sets the channel's own (who
 * may set policy only: workspace admins and POLICY_ADMINS; others are refused privately).
 * A change is stored with who made it and when, and announced in the channel.
 */
export async function runPolicyBudget(deps: PolicyBudgetDeps, command: IncomingCommand, args: string, reply: PrivateReply): Promise<void> {
  const change = parseBudgetChange(args);
  if (typeof change === 'string') return reply(text(change));
  const conversation = conversationOf(command.where);
  if (change.kind === 'show') return reply(text(await limitsHere(deps, conversation)));
  const platform = deps.platforms.get(conversation.platform);
  const authority = await platform.authority(conversation, command.user.id, deps.policy.policyAdmins ?? []);
  if (!isPolicyAdmin(command.user, authority, deps.policy)) return reply(text('Only a workspace admin or a policy admin (POLICY_ADMINS) can change budgets.'));
  await deps.budgets.setOverride(conversation, change.scope, change.tokens, command.user);
  const said = `${command.user.name} set ${whom(change.scope)} to ${limitText(change.tokens ?? deps.defaults[change.scope])}${change.tokens === null ? ' (the default)' : ''}.`;
  await platform.post(platform.channelLevel(conversation), text(`💰 ${said}`));
  await reply(text(`Done: ${said}`));
}

async function limitsHere(deps: PolicyBudgetDeps, conversation: ConversationRef): Promise<string> {
  const own = (await deps.budgets.overrides()).filter((o) => o.conversation.platform === conversation.platform && o.conversation.workspace === conversation.workspace && o.conversation.channel === conversation.channel);
  const line = (scope: BudgetScope) => {
    const set = own.find((o) => o.scope === scope);
    return `• ${whom(scope)}: ${limitText(set ? set.tokens : deps.defaults[scope])} — ${set ? setText(set) : 'the default'}`;
  };
  return [`Daily model-token budgets here:`, line('user'), line('channel'), `Change with \`${POLICY_BUDGET_USAGE}\`.`].join('\n');
}

const whom = (scope: BudgetScope): string => (scope === 'user' ? "each person's daily budget in this channel" : "this channel's daily budget");
const limitText = (tokens: number): string => (tokens > 0 ? `${tokens.toLocaleString('en-US')} tokens` : 'no limit');
const setText = (o: BudgetOverride): string => `set by ${o.setBy.name} on ${o.setAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
