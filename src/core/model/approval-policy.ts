/** Who may decide. Defaults: approvers from config; none configured means workspace admins. */
export interface ApprovalPolicy {
  /** Platform user ids, Slack user-group ids or Discord role ids. */
  readonly approvers: readonly string[];
  /** A destructive request may not be approved by its own requester. */
  readonly fourEyes: boolean;
}
