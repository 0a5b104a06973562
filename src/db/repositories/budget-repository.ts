import { raw, type EntityManager } from '@mikro-orm/postgresql';
import type { ConversationRef, Person, Platform } from '../../core/model/conversation';
import type { BudgetOverride, BudgetScope, UsageCount, UsageKey } from '../../core/model/token-budget';
import type { BudgetClaim, BudgetStore, ReserveOutcome } from '../../core/ports/budget-store';
import type { ChangeFeed } from '../change-feed';
import { BudgetOverrideEntity, TokenUsageEntity } from '../entities';
import type { TokenUsageRow } from '../entities/token-usage.entity';
import { storableText } from '../sql-values';
import { conversationIdOf, dbNow } from './orm-parts';
import { inFork, inTransaction } from './unit-of-work';

/** The NOTIFY channel of override changes: a fixed identifier. */
const OVERRIDES_CHANGED = 'switchboard_budget_overrides';

const isRowOf = (row: Pick<TokenUsageRow, 'platform' | 'workspaceId' | 'scope' | 'subject'>, key: UsageKey): boolean =>
  row.platform === key.platform && row.workspaceId === key.workspace && row.scope === key.scope && row.subject === key.subject;

/** The counters of `keys` among `rows`, in the order of `keys`; a key without a row counts 0. */
function countsOf(keys: readonly UsageKey[], rows: readonly Pick<TokenUsageRow, 'platform' | 'workspaceId' | 'scope' | 'subject' | 'usedTokens' | 'reservedTokens'>[]): UsageCount[] {
  return keys.map((key) => {
    const row = rows.find((r) => isRowOf(r, key));
    return { key, used: Number(row?.usedTokens ?? 0), reserved: Number(row?.reservedTokens ?? 0) };
  });
}

/** Thrown inside a reservation's transaction to undo the holds already taken. */
class Refused extends Error {
  constructor(readonly outcome: ReserveOutcome & { ok: false }) {
    super('budget reached');
  }
}

const keyWhere = (key: UsageKey, day: string) => ({ platform: key.platform, workspaceId: storableText(key.workspace), scope: key.scope, subject: storableText(key.subject), day });

/**
 * Token counters and channel limits in Postgres, through the ORM: a reservation is only sent
 * where a limit applies, never for an ordinary message under the defaults (docs/policy.md).
 */
export class BudgetRepository implements BudgetStore {
  constructor(
    private readonly em: EntityManager,
    private readonly feed: ChangeFeed,
  ) {}

  async reserve(claims: readonly BudgetClaim[], day: string, tokens: number): Promise<ReserveOutcome> {
    try {
      // One counter needs no transaction: its hold is one statement. Several are held all or
      // none, locked in the order given (person, then channel), so two reservations never deadlock.
      const holdAll = async (em: EntityManager) => {
        for (const claim of claims) await this.hold(em, claim, day, tokens);
        return { ok: true } as const;
      };
      return await (claims.length === 1 ? inFork(this.em, holdAll) : inTransaction(this.em, holdAll));
    } catch (error) {
      if (error instanceof Refused) return error.outcome;
      throw error;
    }
  }

  /**
   * One conditional UPDATE: the hold is taken only while the day's use and holds are under the
   * limit. When it takes none, the counter may not exist yet (the day's first call): it is
   * inserted (a racing insert is ignored) and the hold tried once more before refusing.
   */
  private async hold(em: EntityManager, claim: BudgetClaim, day: string, tokens: number): Promise<void> {
    if (await this.tryHold(em, claim, day, tokens)) return;
    await em.createQueryBuilder(TokenUsageEntity).insert(keyWhere(claim.key, day)).onConflict(['platform', 'workspaceId', 'scope', 'subject', 'day']).ignore().execute();
    if (await this.tryHold(em, claim, day, tokens)) return;
    const [count] = await this.counts(em, [claim.key], day);
    throw new Refused({ ok: false, refusedBy: { ...claim, used: count!.used } });
  }

  private async tryHold(em: EntityManager, claim: BudgetClaim, day: string, tokens: number): Promise<boolean> {
    const held: unknown[] = await em
      .createQueryBuilder(TokenUsageEntity)
      .update({ reservedTokens: raw('reserved_tokens + ?', [tokens]) })
      .where({ ...keyWhere(claim.key, day), [raw('used_tokens + reserved_tokens')]: { $lt: claim.limit } })
      .returning(['id'])
      .execute('all', false);
    return held.length > 0;
  }

  async settle(keys: readonly UsageKey[], day: string, held: number, used: number): Promise<UsageCount[]> {
    // Every counter moves by the same amounts: one statement for all, answering the counters after.
    const rows: TokenUsageRow[] = await inFork(this.em, (em) =>
      em
        .createQueryBuilder(TokenUsageEntity)
        .update({ reservedTokens: raw('greatest(reserved_tokens - ?, 0)', [held]), usedTokens: raw('used_tokens + ?', [used]) })
        .where({ $or: keys.map((k) => keyWhere(k, day)) })
        .returning(['platform', 'workspaceId', 'scope', 'subject', 'usedTokens', 'reservedTokens'])
        .execute('all', true),
    );
    return countsOf(keys, rows);
  }

  async claimWarning(key: UsageKey, day: string): Promise<boolean> {
    const moved = await inFork(this.em, (em) => em.nativeUpdate(TokenUsageEntity, { ...keyWhere(key, day), warned: false }, { warned: true }));
    return moved === 1;
  }

  usage(keys: readonly UsageKey[], day: string): Promise<UsageCount[]> {
    return inFork(this.em, (em) => this.counts(em, keys, day));
  }

  private async counts(em: EntityManager, keys: readonly UsageKey[], day: string): Promise<UsageCount[]> {
    return countsOf(keys, await em.find(TokenUsageEntity, { $or: keys.map((k) => keyWhere(k, day)) }));
  }

  async overrides(): Promise<BudgetOverride[]> {
    // Listening first: a change committed after this read is heard, one before it is read.
    await this.feed.ready();
    const rows = await inFork(this.em, (em) => em.find(BudgetOverrideEntity, {}, { populate: ['conversation'] }));
    return rows.map((row) => ({
      conversation: { platform: row.conversation.platform as Platform, workspace: row.conversation.workspaceId, channel: row.conversation.channelId },
      scope: row.scope,
      tokens: row.tokens,
      setBy: { id: row.setById, name: row.setByName },
      setAt: row.setAt,
    }));
  }

  async setOverride(conversation: ConversationRef, scope: BudgetScope, tokens: number | null, by: Person): Promise<void> {
    await inTransaction(this.em, async (em) => {
      const id = await conversationIdOf(em, conversation);
      if (tokens === null) await em.nativeDelete(BudgetOverrideEntity, { conversation: id, scope });
      else {
        const row = { conversation: id, scope, tokens, setById: storableText(by.id), setByName: storableText(by.name), setAt: dbNow() };
        await em.createQueryBuilder(BudgetOverrideEntity).insert(row).onConflict(['conversation', 'scope']).merge(['tokens', 'setById', 'setByName', 'setAt']).execute();
      }
      // Delivered to every listening process when this transaction commits.
      await em.execute(`select pg_notify('${OVERRIDES_CHANGED}', '')`);
    });
  }

  onOverridesChanged(listener: () => void): void {
    this.feed.on(OVERRIDES_CHANGED, { heard: listener, lost: listener });
  }
}
