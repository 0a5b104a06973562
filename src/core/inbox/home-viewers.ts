import type { UserRef } from '../model/inbox';

/** Defaults: remember 500 people, each for an hour after they last opened their home. */
export const HOME_VIEWERS_DEFAULTS = { max: 500, ttlMs: 60 * 60_000 } as const;

/**
 * Who opened their home view lately, so that a changed request republishes only homes someone
 * may be looking at. Kept in memory, bounded (the oldest go first) and per process, on
 * purpose: a home is rebuilt every time its owner opens it (Slack sends app_home_opened on
 * each visit), so a refresh this process misses is made good at the next look, and a table
 * written on every visit would cost more than the staleness it saves.
 */
export class HomeViewers {
  /** By `platform:workspace:user`, oldest visit first (Map keeps insertion order). */
  private readonly seen = new Map<string, { user: UserRef; at: number }>();

  constructor(private readonly options: { max: number; ttlMs: number } = HOME_VIEWERS_DEFAULTS) {}

  /** Records a visit at `now` (epoch ms). */
  saw(user: UserRef, now: number): void {
    const key = `${user.platform}:${user.workspace}:${user.userId}`;
    this.seen.delete(key);
    this.seen.set(key, { user, at: now });
    if (this.seen.size > this.options.max) this.seen.delete(this.seen.keys().next().value!);
  }

  /** The people of one workspace who opened their home within the last `ttlMs`. */
  recentIn(workspace: Pick<UserRef, 'platform' | 'workspace'>, now: number): UserRef[] {
    const recent: UserRef[] = [];
    for (const [key, { user, at }] of this.seen) {
      if (now - at > this.options.ttlMs) this.seen.delete(key);
      else if (user.platform === workspace.platform && user.workspace === workspace.workspace) recent.push(user);
    }
    return recent;
  }
}
