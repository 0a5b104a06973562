import type { CoreSettings, WiredDeps } from '../core-deps';
import type { AgentRequest } from '../model/agent-request';
import { conversationOf, type ConversationRef } from '../model/conversation';
import type { ToolCallRecord } from '../model/tool-call';
import type { ChatPlatform } from '../ports/chat-platform';
import { requestApproval } from '../policy/tool-policy';

/** Most members of one user group or role that are messaged about a request; the rest are not (logged). */
export const MAX_GROUP_MEMBERS = 50;

/** What the resolution reads of the core's deps. */
export type ApproverDeps = Pick<WiredDeps, 'policyCache' | 'platforms' | 'log'> & { readonly settings: Pick<CoreSettings, 'policy'> };

type Request = Pick<AgentRequest, 'id' | 'where' | 'destructive'> & { readonly calls: readonly Pick<ToolCallRecord, 'tool'>[]; readonly requestedBy: { readonly id: string } };

/**
 * Whom a request's reminders and NOTIFY_APPROVERS notices go to: the people who may decide it,
 * resolved as deciding does ({@link requestApproval}: its tools' rules in its channel, else
 * APPROVERS), with user groups and roles expanded to their members, and only those in every
 * tool's list. An empty list means workspace admins, whom no list names: then nobody. Under four
 * eyes a destructive request's requester is left out. Details: docs/policy.md, "Who is reminded".
 */
export async function approversToNotify(deps: ApproverDeps, request: Request): Promise<readonly string[]> {
  const scope = conversationOf(request.where);
  const rules = await deps.policyCache.rulesIn(scope);
  const { approverLists, policy } = requestApproval(request.calls.map((c) => c.tool), scope, rules, deps.settings.policy);
  if (approverLists.some((list) => list.length === 0)) return [];
  const people = new Expansion(deps, deps.platforms.get(request.where.platform), scope, request.id);
  const [first, ...others] = await Promise.all(approverLists.map((list) => people.of(list)));
  const everywhere = (first ?? []).filter((id) => others.every((set) => set.includes(id)));
  return policy.fourEyes && request.destructive ? everywhere.filter((id) => id !== request.requestedBy.id) : everywhere;
}

/** Approver ids to people, each group asked about once per request. */
class Expansion {
  private readonly groups = new Map<string, Promise<readonly string[]>>();

  constructor(
    private readonly deps: ApproverDeps,
    private readonly platform: ChatPlatform,
    private readonly scope: ConversationRef,
    private readonly requestId: string,
  ) {}

  async of(approvers: readonly string[]): Promise<readonly string[]> {
    const each = await Promise.all(approvers.map((id) => this.peopleOf(id)));
    return [...new Set(each.flat())];
  }

  private peopleOf(id: string): Promise<readonly string[]> {
    let people = this.groups.get(id);
    if (!people) this.groups.set(id, (people = this.members(id)));
    return people;
  }

  /** A group's members (capped), or the id itself when it names a person; a failed lookup reaches no one. */
  private async members(id: string): Promise<readonly string[]> {
    if (!this.platform.groupMembers) return [id];
    const log = this.deps.log.child({ requestId: this.requestId, group: id });
    try {
      const members = await this.platform.groupMembers(this.scope, id);
      if (members === null) return [id];
      if (members.length > MAX_GROUP_MEMBERS) log.warn({ members: members.length, messaged: MAX_GROUP_MEMBERS }, 'approver group too large; only its first members are messaged');
      return members.slice(0, MAX_GROUP_MEMBERS);
    } catch (err) {
      log.warn({ err }, 'could not list an approver group; its members are not messaged');
      return [];
    }
  }
}
