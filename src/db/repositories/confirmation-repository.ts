import type { EntityManager } from '@mikro-orm/postgresql';
import type { ConfirmationHolder, ConfirmationStore } from '../../core/ports/stores';
import { ConfirmationEntity } from '../entities/confirmation.entity';
import { isUuid, storableText } from '../sql-values';
import { inFork } from './unit-of-work';

/** The columns that name a holder, made storable (platform ids are text from outside). */
function holderColumns({ purpose, conversation, userId }: ConfirmationHolder) {
  return {
    purpose,
    platform: conversation.platform,
    workspaceId: storableText(conversation.workspace),
    channelId: storableText(conversation.channel),
    userId: storableText(userId),
  };
}

/** One-time confirmations in Postgres, through the ORM; the token is the row's random uuid. */
export class ConfirmationRepository implements ConfirmationStore {
  constructor(private readonly em: EntityManager) {}

  async issue(holder: ConfirmationHolder, expiresAt: Date): Promise<string> {
    return String(await inFork(this.em, (em) => em.insert(ConfirmationEntity, { ...holderColumns(holder), expiresAt })));
  }

  async redeem(token: string, holder: ConfirmationHolder, now: Date): Promise<boolean> {
    if (!isUuid(token)) return false;
    // One conditional UPDATE: of any number of racing clicks, in any number of processes,
    // exactly one finds the row still unused.
    const used = await inFork(this.em, (em) => em.nativeUpdate(ConfirmationEntity, { token, ...holderColumns(holder), usedAt: null, expiresAt: { $gt: now } }, { usedAt: now }));
    return used === 1;
  }
}
