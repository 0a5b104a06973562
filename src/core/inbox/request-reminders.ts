import { approversToNotify } from '../approvals/request-approvers';
import type { WiredDeps } from '../core-deps';
import type { AgentRequest, ReminderStage } from '../model/agent-request';
import type { ReminderTimes } from '../ports/reminder-store';
import type { Inbox } from './inbox';
import { reminderMessage } from './inbox-items';

/** REMIND_AFTER's default. */
export const DEFAULT_REMIND_AFTER_MS = 10 * 60_000;
/** The last reminder goes this long before a request expires. */
export const FINAL_REMINDER_BEFORE_MS = 2 * 60_000;
/** Reminders one sweep sends at most; the next sweep takes the rest. */
const SWEEP_BATCH = 50;

/**
 * Reminders of pending requests (docs/policy.md, "Reminders"): each person who may decide one
 * ({@link approversToNotify}) gets a direct message with its Approve and Deny, REMIND_AFTER
 * after it was made and 2 minutes before it expires. Swept from Postgres: a unique row claims
 * each reminder while the request is pending, so it goes out once across processes.
 */
export class RequestReminders {
  constructor(
    private readonly deps: WiredDeps,
    private readonly inbox: Inbox,
  ) {}

  /** Sends every reminder due; returns how many requests reminded. */
  async remindDue(): Promise<number> {
    const times: ReminderTimes = { firstAfterMs: this.deps.settings.remindAfterMs ?? DEFAULT_REMIND_AFTER_MS, finalBeforeMs: FINAL_REMINDER_BEFORE_MS };
    let reminded = 0;
    for (const due of await this.deps.reminders.due(this.deps.clock.now(), times, SWEEP_BATCH)) {
      if (!(await this.deps.reminders.claim(due))) continue;
      const request = await this.deps.requests.getRequest(due.requestId);
      // Decided in the moment since the claim: no reminder after a decision.
      if (request?.status !== 'pending') continue;
      await this.remind(request, due.stage);
      reminded += 1;
    }
    return reminded;
  }

  private async remind(request: AgentRequest, stage: ReminderStage): Promise<void> {
    const platform = this.deps.platforms.get(request.where.platform);
    if (!platform.directMessage) return;
    const message = reminderMessage(request, stage, await this.inbox.linksTo(platform, [request]));
    for (const userId of await approversToNotify(this.deps, request)) {
      const log = this.deps.log.child({ requestId: request.id, approver: userId, stage });
      try {
        const sent = await platform.directMessage({ platform: request.where.platform, workspace: request.where.workspace, userId }, message);
        log.info(sent ? 'approver reminded' : 'approver id names no one to message; skipped');
      } catch (err) {
        log.warn({ err }, 'could not remind an approver');
      }
    }
  }
}
