import type { webApi } from '@slack/bolt';
import type { Person } from '../../core/model/conversation';
import type { UserAuthority } from '../../core/ports/chat-platform';
import type { Logger } from '../../logging/logger';
import { callSlack, slackError } from './slack-errors';
import { TtlCache } from './ttl-cache';

interface SlackUser {
  readonly name: string;
  readonly isAdmin: boolean;
}

/** Slack user-group ids start with S; other approver ids (user ids) need no lookup. */
const USERGROUP_ID = /^S[A-Z0-9]+$/;

/** Whether an APPROVERS entry names a user group rather than a person. */
export const isUsergroupId = (id: string): boolean => USERGROUP_ID.test(id);

/**
 * Who people are (users.info) and which user groups they belong to (usergroups.users.list),
 * each answer reused for `ttlMs` so a busy channel does not spend its rate limit on lookups.
 */
export class SlackDirectory {
  private readonly users: TtlCache<string, SlackUser>;
  private readonly groups: TtlCache<string, ReadonlySet<string>>;

  constructor(
    private readonly client: webApi.WebClient,
    ttlMs: number,
    private readonly log: Logger,
  ) {
    this.users = new TtlCache(ttlMs);
    this.groups = new TtlCache(ttlMs);
  }

  /** The person as the workspace names them; the `fallbackName` (or the id) when users.info fails. */
  async person(userId: string, fallbackName?: string): Promise<Person> {
    try {
      return { id: userId, name: (await this.user(userId)).name };
    } catch (err) {
      this.log.warn({ err, userId }, 'could not look up a Slack user; using a fallback name');
      return { id: userId, name: fallbackName ?? userId };
    }
  }

  /** The user's name when a recent lookup knows it; never calls Slack. */
  knownName(userId: string): string | undefined {
    return this.users.peek(userId)?.name;
  }

  /**
   * Admin or owner, and the candidate user groups the user is in. Lookup failures throw
   * (a decision is refused, never granted, when Slack cannot say), except a group id
   * Slack does not know, which simply has no members.
   */
  async authority(userId: string, candidateGroups: readonly string[]): Promise<UserAuthority> {
    const groupIds = candidateGroups.filter((id) => USERGROUP_ID.test(id));
    const [user, memberships] = await Promise.all([
      this.user(userId),
      Promise.all(groupIds.map(async (id) => ((await this.members(id)).has(userId) ? id : null))),
    ]);
    return { isAdmin: user.isAdmin, groups: memberships.filter((id): id is string => id !== null) };
  }

  /** The members of a user group (usergroups.users.list, cached); null for an id that is no user group. */
  async groupMembers(groupId: string): Promise<readonly string[] | null> {
    return USERGROUP_ID.test(groupId) ? [...(await this.members(groupId))] : null;
  }

  private user(userId: string): Promise<SlackUser> {
    return this.users.get(userId, async () => {
      const { user } = await callSlack('users.info', { userId }, () => this.client.users.info({ user: userId }));
      const name = user?.profile?.display_name || user?.real_name || user?.name || userId;
      return { name, isAdmin: Boolean(user?.is_admin || user?.is_owner || user?.is_primary_owner) };
    });
  }

  private members(usergroup: string): Promise<ReadonlySet<string>> {
    return this.groups.get(usergroup, async () => {
      try {
        const { users } = await this.client.usergroups.users.list({ usergroup });
        return new Set(users ?? []);
      } catch (error) {
        const failure = slackError('usergroups.users.list', { usergroup }, error);
        if (failure.context.slackError === 'no_such_subteam') return new Set<string>();
        throw failure;
      }
    });
  }
}
