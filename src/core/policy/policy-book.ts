import { isPolicyAdmin } from '../approvals/decision-policy';
import type { WiredDeps } from '../core-deps';
import type { ConversationRef, Person, ThreadRef } from '../model/conversation';
import { SERVER_WILDCARD, type RuleScope, type RuleSettings } from '../model/policy-rule';
import type { PrivateReply } from '../ports/chat-platform';
import { text } from '../model/card';
import { quoteInput } from '../text/quote-input';
import { envPolicy } from './env-policy';
import { changeNotice, policyLine, ruleLine, type ChangeKind, type RuleLevel } from './policy-text';
import { rulesFor, toolPolicy } from './tool-policy';

/** Said to whoever may not set policy; privately, like every refusal. */
export const NOT_POLICY_ADMIN = 'Only a workspace admin or someone in POLICY_ADMINS may set policy.';

/** A change a person asked for: what, for which tool (or `server__*`), where. */
export interface PolicyChange {
  readonly change: ChangeKind;
  readonly tool: string;
  readonly level: RuleLevel;
}

type Deps = Pick<WiredDeps, 'policyRules' | 'policyCache' | 'platforms' | 'tools' | 'settings' | 'log'>;

/**
 * The policy of a channel as people read and change it (docs/policy.md): the rules in effect
 * here, and changes by those who may set policy, each stored with who and when, announced in
 * the channel it applies to, and seen by every process at once (PolicyCache).
 */
export class PolicyBook {
  constructor(private readonly deps: Deps) {}

  /** Whether `user` may set policy here: a workspace admin, or POLICY_ADMINS (users, groups, roles). */
  async mayManage(user: Person, scope: ConversationRef): Promise<boolean> {
    const { policy } = this.deps.settings;
    const authority = await this.deps.platforms.get(scope.platform).authority(scope, user.id, policy.policyAdmins ?? []);
    return isPolicyAdmin(user, authority, policy);
  }

  /** Every tool here with how it runs, who approves it and where each setting comes from; then rules no tool here matches. */
  async list(scope: ConversationRef): Promise<string> {
    const rules = await this.deps.policyCache.rulesIn(scope);
    const tools = this.deps.tools.list(scope);
    const lines = tools.map((tool) => policyLine(tool.name, toolPolicy(tool, scope, rules, envPolicy(this.deps.settings))));
    const matched = new Set(tools.flatMap((tool) => rulesFor(tool.name, scope, rules)));
    const others = rules.filter((r) => !matched.has(r) && (r.channel === null || r.channel === scope.channel));
    return ['Policy in this channel (channel rule, then workspace rule, then environment):', ...lines, ...others.map(ruleLine)].join('\n');
  }

  /** Applies `asked` for `by` in `where`'s channel or workspace; the answer for `by` alone, the change announced to the channel. */
  async change(asked: PolicyChange, by: Person, where: ThreadRef): Promise<string> {
    const refusal = (await this.mayManage(by, where)) ? this.refusal(asked, where) : NOT_POLICY_ADMIN;
    if (refusal) return refusal;
    const scope: RuleScope = { platform: where.platform, workspace: where.workspace, channel: asked.level === 'channel' ? where.channel : null, tool: asked.tool };
    if (asked.change.kind === 'reset') {
      if (!(await this.deps.policyRules.removeRule(scope))) return `There is no ${asked.level} rule for \`${asked.tool}\` to reset.`;
    } else {
      await this.deps.policyRules.setRule({ ...scope, set: settingsOf(asked.change), by });
    }
    this.deps.policyCache.changed(where);
    this.deps.log.info({ tool: asked.tool, level: asked.level, change: asked.change.kind, by: by.id }, 'policy changed');
    const notice = changeNotice(by, asked.tool, asked.change, asked.level);
    await this.deps.platforms.get(where.platform).post(where, text(notice));
    return `Done: ${notice}`;
  }

  /** Writes the channel rule "Always allow here" stands for; the caller has checked who and which tool. */
  async allowHere(tool: string, by: Person, where: ConversationRef): Promise<void> {
    await this.deps.policyRules.setRule({ platform: where.platform, workspace: where.workspace, channel: where.channel, tool, set: { run: 'auto' }, by });
    this.deps.policyCache.changed(where);
    this.deps.log.info({ tool, by: by.id }, 'always allowed in a channel');
  }

  /** Removes the channel's rule for `tool` (Undo of "Always allow here"); false when it was gone. */
  async undoHere(tool: string, by: Person, where: ConversationRef, reply: PrivateReply): Promise<boolean> {
    const removed = await this.deps.policyRules.removeRule({ platform: where.platform, workspace: where.workspace, channel: where.channel, tool });
    this.deps.policyCache.changed(where);
    if (!removed) await reply(text(`\`${tool}\` has no rule in this channel any more.`));
    else this.deps.log.info({ tool, by: by.id }, 'always allow undone');
    return removed;
  }

  /** Why this change cannot be made: an unknown tool, or `allow` of a destructive one. */
  private refusal(asked: PolicyChange, scope: ConversationRef): string | null {
    const tools = this.deps.tools.list(scope);
    if (asked.tool.endsWith(SERVER_WILDCARD)) {
      const prefix = asked.tool.slice(0, -1);
      return tools.some((t) => t.name.startsWith(prefix)) ? null : `No tool here comes from ${quoteInput(asked.tool.slice(0, -SERVER_WILDCARD.length))}: \`!help\` lists the tools.`;
    }
    const tool = this.deps.tools.find(asked.tool, scope);
    if (!tool) return `${quoteInput(asked.tool)} is not a tool here: \`!help\` lists the tools.`;
    if (asked.change.kind === 'run' && asked.change.run === 'auto' && tool.destructive) return `\`${tool.name}\` is destructive: it always asks, whatever a rule says.`;
    return null;
  }
}

function settingsOf(change: Exclude<ChangeKind, { kind: 'reset' }>): Partial<RuleSettings> {
  return change.kind === 'run' ? { run: change.run } : { approvers: change.approvers };
}
