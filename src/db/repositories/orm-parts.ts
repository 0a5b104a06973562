/** Pieces of ORM queries the repositories share. */
import { raw, type EntityManager } from '@mikro-orm/postgresql';
import type { ConversationRef } from '../../core/model/conversation';
import { ConversationEntity } from '../entities';
import { storableText } from '../sql-values';

/** `now()` less a duration, in the database's clock: leases and windows are compared with times it wrote. */
export const ago = (ms: number) => raw(`now() - ?::int * interval '1 millisecond'`, [Math.round(ms)]);

/** `now()` in the database's clock, for a column a lease or a sweep compares with `ago`. */
export const dbNow = () => raw('now()');

/** The time of this statement's write, however many rows it writes (`updatedAt` orders facts and ratings). */
export const writeTime = () => raw('clock_timestamp()');

/** Rows of the conversation `c`, as a filter on an entity's `conversation` relation. */
export const inConversation = (c: ConversationRef) => ({ conversation: { platform: c.platform, workspaceId: storableText(c.workspace), channelId: storableText(c.channel) } });

/**
 * The id of conversation `c`, created when new, in one upsert (a conflict rewrites the
 * platform with itself, so that the row comes back either way).
 */
export async function conversationIdOf(em: EntityManager, c: ConversationRef): Promise<string> {
  const row = await em.upsert(
    ConversationEntity,
    { platform: c.platform, workspaceId: storableText(c.workspace), channelId: storableText(c.channel) },
    { onConflictFields: ['platform', 'workspaceId', 'channelId'], onConflictAction: 'merge', onConflictMergeFields: ['platform'] },
  );
  return row.id;
}
