import type { Person, Platform } from './conversation';

/** What a rule says about running a tool: at once, after a card, or not at all here. */
export const RUN_MODES = ['auto', 'ask', 'hide'] as const;
export type RunMode = (typeof RUN_MODES)[number];

/** Where a rule applies: a whole workspace (`channel` null) or one channel of it. */
export interface RuleScope {
  readonly platform: Platform;
  readonly workspace: string;
  readonly channel: string | null;
  /** A tool name, or `server__*` for every tool of one MCP server. */
  readonly tool: string;
}

/** What a rule sets; each unset (null) field falls through to the next rule, then the environment. */
export interface RuleSettings {
  readonly run: RunMode | null;
  /** User ids, Slack user-group ids or Discord role ids; they replace APPROVERS for the tool. */
  readonly approvers: readonly string[] | null;
  readonly fourEyes: boolean | null;
}

/** A stored policy rule (docs/policy.md), with who set it and when. */
export interface PolicyRule extends RuleScope, RuleSettings {
  readonly setBy: Person;
  readonly setAt: Date;
}

/** A rule as a command or a click writes it: the fields it sets, merged over the rule already there. */
export interface RuleChange extends RuleScope {
  readonly set: Partial<RuleSettings>;
  readonly by: Person;
}

/** The suffix that makes a rule name every tool of one MCP server (`github__*`). */
export const SERVER_WILDCARD = '__*';

/** Whether a rule's tool pattern covers `tool`: the exact name, or `server__*` for `server__anything`. */
export function ruleCovers(pattern: string, tool: string): boolean {
  if (!pattern.endsWith(SERVER_WILDCARD)) return pattern === tool;
  return tool.startsWith(pattern.slice(0, -1));
}
