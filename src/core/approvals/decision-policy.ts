import type { AgentRequest, Decision } from '../model/agent-request';
import type { Person } from '../model/conversation';
import type { ApprovalPolicy } from '../model/approval-policy';
import type { UserAuthority } from '../ports/chat-platform';

/** Whether a person may decide, and if not, why (safe to show them). */
export type PolicyVerdict = { readonly allowed: true } | { readonly allowed: false; readonly why: string };

/** An approver by id, user group or role; with no APPROVERS configured, a workspace admin. */
export function isApprover(user: Person, authority: UserAuthority, policy: ApprovalPolicy): boolean {
  if (policy.approvers.length === 0) return authority.isAdmin;
  return policy.approvers.includes(user.id) || authority.groups.some((g) => policy.approvers.includes(g));
}

/**
 * Who may set policy (rules, "Always allow here") and change anyone's schedule: a workspace
 * admin always; besides them the users, user groups and roles of POLICY_ADMINS.
 */
export function isPolicyAdmin(user: Person, authority: UserAuthority, policy: ApprovalPolicy): boolean {
  const admins = policy.policyAdmins ?? [];
  return authority.isAdmin || admins.includes(user.id) || authority.groups.some((g) => admins.includes(g));
}

/**
 * A non-destructive request may be approved by its requester or an approver; a
 * destructive one by an approver only, and with four eyes not by its requester.
 * Either may deny.
 */
export function mayDecide(
  request: Pick<AgentRequest, 'destructive' | 'requestedBy'>,
  decision: Decision,
  user: Person,
  approver: boolean,
  policy: ApprovalPolicy,
): PolicyVerdict {
  const requester = request.requestedBy.id === user.id;
  const who = policy.approvers.length ? 'an approver' : 'a workspace admin';
  if (decision === 'denied') {
    return approver || requester ? { allowed: true } : { allowed: false, why: `Only the requester or ${who} can deny this request.` };
  }
  if (!request.destructive) {
    return approver || requester ? { allowed: true } : { allowed: false, why: `Only the requester or ${who} can approve this request.` };
  }
  if (!approver) return { allowed: false, why: `This request is destructive: only ${who} can approve it.` };
  if (policy.fourEyes && requester) {
    return { allowed: false, why: 'Four-eyes rule: someone other than the requester must approve a destructive request.' };
  }
  return { allowed: true };
}
