import type { Logger } from '../../logging/logger';
import { UserInputError } from '../errors';
import type { TokenUsage } from '../model/agent-run';
import { text } from '../model/card';
import { conversationOf, type ThreadRef } from '../model/conversation';
import { budgetDay, budgetResetAt, limitFor, type UsageCount, type UsageKey } from '../model/token-budget';
import type { BudgetClaim, BudgetStore } from '../ports/budget-store';
import type { Clock } from '../ports/clock';
import type { Metrics } from '../ports/metrics';
import type { PlatformDirectory } from '../ports/platforms';
import type { BudgetOverrides } from './budget-overrides';
import { NO_BUDGETS, refusalText, resetText, WARN_AT, warningText, type BudgetSettings } from './budget-text';

/** What the budgets need. */
export interface TokenBudgetDeps {
  readonly budgets: BudgetStore;
  readonly overrides: BudgetOverrides;
  readonly platforms: PlatformDirectory;
  readonly metrics: Metrics;
  readonly clock: Clock;
  readonly settings?: BudgetSettings;
}

/** A model call's hold on its counters, to be settled once it answered (or failed). */
export interface Reservation {
  readonly claims: readonly BudgetClaim[];
  readonly day: string;
  readonly held: number;
}

/** A rough token count of prompt text: about four characters a token. */
const estimateTokens = (chars: number): number => Math.ceil(chars / 4);

/**
 * Daily token limits per person and per channel (docs/policy.md, "Spend limits"). Before each
 * model call the limits that apply here are looked up in memory (the defaults and the cached
 * overrides); where there are none, nothing is sent to Postgres. Where there are, the call
 * holds its prompt's estimate plus BUDGET_RESERVE_TOKENS on each counter, refused once a
 * counter's day is spent; after it, the hold becomes the model's reported use.
 */
export class TokenBudgets {
  private readonly settings: BudgetSettings;

  constructor(private readonly deps: TokenBudgetDeps) {
    this.settings = deps.settings ?? NO_BUDGETS;
  }

  /**
   * Reads the channels' limits into the cache; the core does it as it starts, so that the
   * messages a process answers send no statement for them. After a failure the first model
   * call reads again.
   */
  async warm(): Promise<void> {
    await this.deps.overrides.current();
  }

  /**
   * Holds tokens for a call by `userId` in `where`, or null when no limit applies there.
   * @throws UserInputError `budget_reached` naming the limit and when it resets.
   */
  async reserve(where: ThreadRef, userId: string, promptChars: number): Promise<Reservation | null> {
    const claims = await this.claimsFor(where, userId);
    if (claims.length === 0) return null;
    const now = this.deps.clock.now();
    const day = budgetDay(now, this.settings.resetTimeZone);
    const held = estimateTokens(promptChars) + this.settings.reserveTokens;
    const outcome = await this.deps.budgets.reserve(claims, day, held);
    if (outcome.ok) return { claims, day, held };
    const { key, limit, used } = outcome.refusedBy;
    throw new UserInputError('budget_reached', refusalText(key.scope, limit, used, this.resetText(now)), { scope: key.scope, limit, used });
  }

  /** Counts a call's reported use (none when it failed before answering), then warns once a day at 80 %. */
  async settle(reservation: Reservation | null, where: ThreadRef, userId: string, usage: TokenUsage | null, log: Logger): Promise<void> {
    const used = usage?.totalTokens ?? 0;
    if (used > 0) this.deps.metrics.tokensUsed({ platform: where.platform, workspace: where.workspace, tokens: used });
    if (!reservation) return;
    const counts = await this.deps.budgets.settle(reservation.claims.map((c) => c.key), reservation.day, reservation.held, used);
    for (const claim of reservation.claims) {
      const count = counts.find((c) => c.key.scope === claim.key.scope);
      if (count && count.used >= claim.limit * WARN_AT) await this.warn(claim, count, reservation.day, where, userId, log);
    }
  }

  /** The limits that apply to `userId` in this channel, person first (the order counters are locked in). */
  async claimsFor(where: ThreadRef, userId: string): Promise<BudgetClaim[]> {
    const conversation = conversationOf(where);
    const defaults = { user: this.settings.perUserDay, channel: this.settings.perChannelDay };
    const overrides = await this.deps.overrides.current();
    const claims: BudgetClaim[] = [];
    const userLimit = limitFor('user', conversation, overrides, defaults);
    if (userLimit > 0) claims.push({ key: keyOf(where, 'user', userId), limit: userLimit });
    const channelLimit = limitFor('channel', conversation, overrides, defaults);
    if (channelLimit > 0) claims.push({ key: keyOf(where, 'channel', where.channel), limit: channelLimit });
    return claims;
  }

  /** Today's counters of `userId` and of the channel, with the limits that apply (0: none). */
  async today(where: ThreadRef, userId: string): Promise<{ user: UsageCount; channel: UsageCount; limits: { user: number; channel: number }; reset: string }> {
    const now = this.deps.clock.now();
    const [user, channel] = await this.deps.budgets.usage([keyOf(where, 'user', userId), keyOf(where, 'channel', where.channel)], budgetDay(now, this.settings.resetTimeZone));
    const claims = await this.claimsFor(where, userId);
    const limitOf = (scope: UsageKey['scope']) => claims.find((c) => c.key.scope === scope)?.limit ?? 0;
    return { user: user!, channel: channel!, limits: { user: limitOf('user'), channel: limitOf('channel') }, reset: this.resetText(now) };
  }

  private async warn(claim: BudgetClaim, count: UsageCount, day: string, where: ThreadRef, userId: string, log: Logger): Promise<void> {
    try {
      if (!(await this.deps.budgets.claimWarning(claim.key, day))) return;
      const note = text(warningText(claim.key.scope, claim.limit, count.used, this.resetText(this.deps.clock.now())));
      const platform = this.deps.platforms.get(where.platform);
      // Where a private note would be seen by the thread (Discord), a direct message keeps it private.
      if (platform.notesArePrivate === false && platform.directMessage) await platform.directMessage({ platform: where.platform, workspace: where.workspace, userId }, note);
      else await platform.ephemeral(where, userId, note);
    } catch (err) {
      log.warn({ err, scope: claim.key.scope }, 'could not show a budget warning');
    }
  }

  private resetText(now: Date): string {
    return resetText(budgetResetAt(now, this.settings.resetTimeZone), this.settings.resetTimeZone);
  }
}

function keyOf(where: ThreadRef, scope: UsageKey['scope'], subject: string): UsageKey {
  return { platform: where.platform, workspace: where.workspace, scope, subject };
}
