/** Pieces of ORM queries the repositories share. */
import { raw } from '@mikro-orm/postgresql';
import type { ConversationRef } from '../../core/model/conversation';

/** `now()` less a duration, in the database's clock: leases and windows are compared with times it wrote. */
export const ago = (ms: number) => raw(`now() - ?::int * interval '1 millisecond'`, [Math.round(ms)]);

/** `now()` in the database's clock, for a column a lease or a sweep compares with `ago`. */
export const dbNow = () => raw('now()');

/** Rows of the conversation `c`, as a filter on an entity's `conversation` relation. */
export const inConversation = (c: ConversationRef) => ({ conversation: { platform: c.platform, workspaceId: c.workspace, channelId: c.channel } });
