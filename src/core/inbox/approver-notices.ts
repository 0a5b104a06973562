import { approversToNotify } from '../approvals/request-approvers';
import type { Background } from '../background';
import type { WiredDeps } from '../core-deps';
import type { AgentRequest } from '../model/agent-request';
import { text } from '../model/card';
import { truncate } from '../text/truncate';
import type { Inbox } from './inbox';

/**
 * NOTIFY_APPROVERS: a destructive request also goes to each person who may decide it as a direct
 * message ({@link approversToNotify}: its rules' approvers, groups and roles expanded; nobody for
 * workspace admins), with a short summary and a link to the card, where they decide. Sent in the
 * background, never holding up the card; a failure is logged.
 */
export class ApproverNotices {
  constructor(
    private readonly deps: WiredDeps,
    private readonly inbox: Inbox,
    private readonly background: Background,
  ) {}

  /** Called once the request's card is posted. */
  requestPosted(request: AgentRequest): void {
    if (!this.deps.settings.notifyApprovers || !request.destructive) return;
    const platform = this.deps.platforms.get(request.where.platform);
    const send = platform.directMessage?.bind(platform);
    if (!send) return;
    this.background.start('telling approvers', async () => {
      const link = (await this.inbox.linksTo(platform, [request])).get(request.id);
      const note = text(
        `⚠️ A destructive request waits for approval: ${truncate(request.summary, 300)} (asked by ${request.requestedBy.name}, id ${request.id}).` +
          (link ? ` Decide on its card: ${link}` : ' Decide on its card, or with !pending.'),
      );
      for (const userId of await approversToNotify(this.deps, request)) {
        const log = this.deps.log.child({ requestId: request.id, approver: userId });
        try {
          if (!(await send({ platform: request.where.platform, workspace: request.where.workspace, userId }, note))) log.debug('approver id names no one to message; skipped');
        } catch (err) {
          log.warn({ err }, 'could not send an approver a direct message');
        }
      }
    });
  }
}
