import type { AutoRunPolicy } from '../model/agent-policy';
import type { ApprovalPolicy } from '../model/approval-policy';
import { conversationKey, type ConversationRef } from '../model/conversation';
import { ruleCovers, type PolicyRule, type RunMode, type RuleSettings } from '../model/policy-rule';
import type { Tool } from '../ports/tools';

/** Whether the environment's policy (AUTO_RUN_READONLY, AUTO_RUN_TOOLS) lets `tool` run at once in `scope`. */
export function mayAutoRun(tool: Tool, scope: ConversationRef, policy: AutoRunPolicy): boolean {
  if (!tool.readOnly || tool.destructive) return false;
  if (policy.readOnlyEverywhere) return true;
  const key = conversationKey(scope);
  return policy.rules.some((rule) => rule.tool === tool.name && (rule.where === undefined || rule.where === key || rule.where === scope.channel));
}

/** Where a setting in effect comes from. */
export type RuleSource = 'channel' | 'workspace' | 'environment';

/** One setting in effect, with the rule that set it (none for the environment). */
export interface InEffect<T> {
  readonly value: T;
  readonly source: RuleSource;
  readonly rule: PolicyRule | null;
}

/** How a tool stands in a channel, each setting resolved on its own. */
export interface ToolPolicy {
  readonly run: InEffect<RunMode>;
  readonly approvers: InEffect<readonly string[]>;
  readonly fourEyes: InEffect<boolean>;
}

/** The environment's policy: the defaults beneath every rule. */
export interface EnvPolicy {
  readonly autoRun: AutoRunPolicy;
  readonly approval: ApprovalPolicy;
}

/**
 * The rules of `scope`'s workspace that cover `tool` there, most specific first: the
 * channel's before the workspace's, and a tool's own before its server's `server__*`.
 */
export function rulesFor(tool: string, scope: ConversationRef, rules: readonly PolicyRule[]): PolicyRule[] {
  const rank = (r: PolicyRule) => (r.channel === null ? 2 : 0) + (r.tool === tool ? 0 : 1);
  return rules
    .filter((r) => r.platform === scope.platform && r.workspace === scope.workspace && (r.channel === null || r.channel === scope.channel) && ruleCovers(r.tool, tool))
    .sort((a, b) => rank(a) - rank(b));
}

function setting<K extends keyof RuleSettings>(field: K, covering: readonly PolicyRule[]): InEffect<NonNullable<RuleSettings[K]>> | null {
  const rule = covering.find((r) => r[field] !== null);
  if (!rule) return null;
  return { value: rule[field] as NonNullable<RuleSettings[K]>, source: rule.channel === null ? 'workspace' : 'channel', rule };
}

const fromEnv = <T>(value: T): InEffect<T> => ({ value, source: 'environment', rule: null });

/**
 * How `tool` stands in `scope`: each setting from the channel's rule, else the workspace's,
 * else the environment. A destructive tool is never `auto`, whatever a rule says.
 */
export function toolPolicy(tool: Tool, scope: ConversationRef, rules: readonly PolicyRule[], env: EnvPolicy): ToolPolicy {
  const covering = rulesFor(tool.name, scope, rules);
  const ruled = setting('run', covering);
  const run = ruled ?? fromEnv<RunMode>(mayAutoRun(tool, scope, env.autoRun) ? 'auto' : 'ask');
  return {
    run: tool.destructive && run.value === 'auto' ? { ...run, value: 'ask' } : run,
    approvers: setting('approvers', covering) ?? fromEnv(env.approval.approvers),
    fourEyes: setting('fourEyes', covering) ?? fromEnv(env.approval.fourEyes),
  };
}

/** The tools offered to the model in `scope`: all but those a rule hides there. */
export function visibleTools(tools: readonly Tool[], scope: ConversationRef, rules: readonly PolicyRule[], env: EnvPolicy): Tool[] {
  if (!rules.length) return [...tools];
  return tools.filter((tool) => toolPolicy(tool, scope, rules, env).run.value !== 'hide');
}

/** Who may decide a request of these tools: every tool's approvers at once, and four eyes if any tool wants them. */
export interface RequestApproval {
  /** One list per distinct set of approvers among the tools; an approver must be in each (an empty list: workspace admins). */
  readonly approverLists: readonly (readonly string[])[];
  /** The policy `mayDecide` applies: every approver named, four eyes from any tool. */
  readonly policy: ApprovalPolicy;
}

/** A rule's approvers replace APPROVERS for its tool; a request of several tools needs someone each of them allows. */
export function requestApproval(toolNames: readonly string[], scope: ConversationRef, rules: readonly PolicyRule[], env: ApprovalPolicy): RequestApproval {
  const each = [...new Set(toolNames)].map((name) => {
    const covering = rulesFor(name, scope, rules);
    return { approvers: setting('approvers', covering)?.value ?? env.approvers, fourEyes: setting('fourEyes', covering)?.value ?? env.fourEyes };
  });
  const lists = new Map(each.map((e) => [JSON.stringify([...e.approvers].sort()), e.approvers]));
  const approverLists = lists.size ? [...lists.values()] : [env.approvers];
  return {
    approverLists,
    policy: { ...env, approvers: [...new Set(approverLists.flat())], fourEyes: each.length ? each.some((e) => e.fourEyes) : env.fourEyes },
  };
}
