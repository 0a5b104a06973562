import type { Background } from '../background';
import type { CoreDeps } from '../core-deps';
import { isApprover } from '../approvals/decision-policy';
import { PlatformLimitError } from '../errors';
import type { AgentRequest } from '../model/agent-request';
import { text, type OutboundMessage } from '../model/card';
import type { UserRef } from '../model/inbox';
import type { ChatPlatform } from '../ports/chat-platform';
import { epochMs } from '../ports/clock';
import type { RequestPage } from '../ports/stores';
import type { HomeViewers } from './home-viewers';
import { homeView, pendingList, type CardLinks } from './inbox-items';

/** Requests a home view asks the store for; the renderer shows what fits (Slack: 100 blocks) and counts the rest. */
const HOME_PAGE = 40;
/** The reader's own recent requests on their home. */
const OWN_PAGE = 10;
/** The most requests one `pending` answer tries to show; fewer when the platform cannot (Discord: five rows of buttons). */
const LIST_PAGE = 10;

/**
 * What waits for a person: the pending requests they may approve in their workspace, as a
 * home view (Slack App Home) kept fresh while they look, or as one private list. Both carry
 * the cards' own buttons, so decisions go through the usual checks, once.
 */
export class Inbox {
  constructor(
    private readonly deps: CoreDeps,
    private readonly viewers: HomeViewers,
    private readonly background: Background,
  ) {}

  /** The requests waiting for `user`'s decision, newest first, with how many there are in all. */
  async awaiting(user: UserRef, limit: number): Promise<RequestPage> {
    const approver = await this.isApprover(user);
    return this.deps.requests.awaitingDecisionBy(user, { approver, fourEyes: this.deps.settings.policy.fourEyes }, this.deps.clock.now(), limit);
  }

  /** The private list a `pending` command answers with: as many requests as the platform can show in one message. */
  async pendingList(user: UserRef): Promise<OutboundMessage> {
    const platform = this.deps.platforms.get(user.platform);
    const awaiting = await this.awaiting(user, LIST_PAGE);
    if (awaiting.total === 0) return text('Nothing waits for your decision in this workspace.');
    const links = await this.linksTo(platform, awaiting.requests);
    for (let shown = awaiting.requests.length; shown > 0; shown -= 1) {
      const list = pendingList(awaiting, links, shown);
      if (fits(platform, list)) return list;
    }
    return text(`${awaiting.total} requests wait for your decision, but I cannot show them here; decide them from their cards.`);
  }

  /** Publishes `owner`'s home view (with `note` on top: the answer to their last click there) and remembers they look at it. */
  async showHome(owner: UserRef, note: string | null = null): Promise<void> {
    const platform = this.deps.platforms.get(owner.platform);
    if (!platform.publishHome) return;
    this.viewers.saw(owner, epochMs(this.deps.clock));
    const [awaiting, own] = await Promise.all([this.awaiting(owner, HOME_PAGE), this.deps.requests.requestedBy(owner, OWN_PAGE)]);
    const links = await this.linksTo(platform, [...awaiting.requests, ...own.requests]);
    await platform.publishHome(owner, homeView({ awaiting, own, links, note }));
  }

  /**
   * A request was posted, decided, edited, expired or cancelled: republishes, in the
   * background, the homes of those who looked lately and whose home shows it: its requester
   * and the approvers (whoever may decide it). Failures are logged; a home is rebuilt at its next visit anyway.
   */
  requestChanged(request: AgentRequest): void {
    const viewers = this.viewers.recentIn(request.where, epochMs(this.deps.clock));
    if (viewers.length === 0) return;
    this.background.start('refreshing home views', async () => {
      for (const viewer of viewers) {
        try {
          if (viewer.userId === request.requestedBy.id || (await this.isApprover(viewer))) await this.showHome(viewer);
        } catch (err) {
          this.deps.log.warn({ err, requestId: request.id, userId: viewer.userId }, 'could not refresh a home view');
        }
      }
    });
  }

  /** Links to the cards of `requests` that have one; a link the platform cannot give is left out. */
  async linksTo(platform: ChatPlatform, requests: readonly AgentRequest[]): Promise<CardLinks> {
    const links = new Map<string, string>();
    if (!platform.permalink) return links;
    for (const request of requests) {
      if (!request.cardMessageId) continue;
      try {
        const link = await platform.permalink({ where: request.where, messageId: request.cardMessageId });
        if (link) links.set(request.id, link);
      } catch (err) {
        this.deps.log.debug({ err, requestId: request.id }, 'no link to a card');
      }
    }
    return links;
  }

  private async isApprover(user: UserRef): Promise<boolean> {
    const { policy } = this.deps.settings;
    const authority = await this.deps.platforms.get(user.platform).authority(workspaceOf(user), user.userId, policy.approvers);
    return isApprover({ id: user.userId, name: user.userId }, authority, policy);
  }
}

/** Authority is a workspace's on every platform (Slack admins and user groups, Discord guild roles): no channel is needed. */
function workspaceOf(user: UserRef): { platform: UserRef['platform']; workspace: string; channel: string } {
  return { platform: user.platform, workspace: user.workspace, channel: '' };
}

/** Whether the platform can show `message` as it is. */
function fits(platform: ChatPlatform, message: OutboundMessage): boolean {
  try {
    platform.validate(message);
    return true;
  } catch (err) {
    if (err instanceof PlatformLimitError) return false;
    throw err;
  }
}
