/** Who may decide. Defaults: approvers from config; none configured means workspace admins. */
export interface ApprovalPolicy {
  /** Platform user ids, Slack user-group ids or Discord role ids. */
  readonly approvers: readonly string[];
  /** A destructive request may not be approved by its own requester. */
  readonly fourEyes: boolean;
  /** Who may set policy besides workspace admins: user ids, Slack user-group ids or Discord role ids (POLICY_ADMINS). Default none. */
  readonly policyAdmins?: readonly string[];
}
