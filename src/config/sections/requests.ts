import { duration, flag, list } from '../parsers';
import { setting, type Section } from '../setting';

/** Requests and approvals: how long a card waits, how long an action runs, who may approve. */
export const requestSettings = {
  ttlMs: setting('REQUEST_TTL', duration, { default: '15m', doc: 'how long a request waits for a decision (15m, 30s, 2h or milliseconds)' }),
  remindAfterMs: setting('REMIND_AFTER', duration, {
    default: '10m',
    doc: "a pending request reminds each person who may decide it (its tools' approvers, groups and roles expanded) privately after this, and again 2 minutes before it expires",
  }),
  actionTimeoutMs: setting('ACTION_TIMEOUT', duration, { default: '5m', doc: 'longest run of one action before it is stopped' }),
  approvers: setting('APPROVERS', list, { doc: 'user ids, Slack user-group ids or Discord role ids that may approve; empty = workspace admins' }),
  fourEyes: setting('FOUR_EYES', flag, { default: 'false', doc: "a destructive request can't be approved by its own requester" }),
  policyAdmins: setting('POLICY_ADMINS', list, {
    doc: 'user ids, Slack user-group ids or Discord role ids that may set policy and manage anyone\'s schedules, besides workspace admins',
  }),
  notifyApprovers: setting('NOTIFY_APPROVERS', flag, {
    default: 'false',
    doc: "a destructive request also sends each person who may decide it (its tools' approvers, groups and roles expanded) a direct message with a link to the card",
  }),
} satisfies Section;
