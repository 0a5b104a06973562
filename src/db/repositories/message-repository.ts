import type { EntityManager } from '@mikro-orm/postgresql';
import type { ThreadRef } from '../../core/model/conversation';
import { metadataSchemas, type MessageMetadata, type NewMessage, type StoredMessage } from '../../core/model/message';
import type { MessageStore } from '../../core/ports/stores';
import { validateMetadata } from './validate-metadata';
import { CONVERSATION_CTE, FIND_CONVERSATION_CTE, query, jsonParam } from '../sql';
import { MESSAGE_COLUMNS, messageInsertParams, toStoredMessage, type MessageRow } from './message-row';

/** Messages in Postgres. Each method is one SQL statement. */
export class MessageRepository implements MessageStore {
  constructor(private readonly em: EntityManager) {}

  async appendMessage(message: NewMessage): Promise<{ message: StoredMessage; isNew: boolean }> {
    const metadata = validateMetadata(message.type, message.metadata);
    const { where } = message;
    // Insert-or-nothing on (conversation, platform message id), then read back whichever
    // row holds that id, so a redelivered event learns it lost in the same statement.
    const rows = await query<MessageRow & { is_new: boolean }>(
      this.em,
      `with ${CONVERSATION_CTE},
       ins as (
         insert into message (conversation_id, thread_ref, platform_message_id, author_id, author_name, role, message_type, text, metadata)
         select conv.id, ?, ?, ?, ?, ?, ?, ?, ?::jsonb from conv
         on conflict (conversation_id, platform_message_id) do nothing
         returning *
       )
       select ${MESSAGE_COLUMNS}, true as is_new from ins m join conv c on c.id = m.conversation_id
       union all
       select ${MESSAGE_COLUMNS}, false as is_new from message m join conv c on c.id = m.conversation_id
       where m.platform_message_id = ? and not exists (select 1 from ins)`,
      [...messageInsertParams(message, metadata), message.platformMessageId],
    );
    const row = rows[0] ?? (await this.findByPlatformId(where, message.platformMessageId!));
    return { message: toStoredMessage(row), isNew: row.is_new };
  }

  /**
   * A racing insert that committed after our statement's snapshot is invisible to it;
   * a fresh statement sees it.
   */
  private async findByPlatformId(where: ThreadRef, platformMessageId: string): Promise<MessageRow & { is_new: boolean }> {
    const rows = await query<MessageRow & { is_new: boolean }>(
      this.em,
      `with ${FIND_CONVERSATION_CTE}
       select ${MESSAGE_COLUMNS}, false as is_new from message m join conv c on c.id = m.conversation_id
       where m.platform_message_id = ?`,
      [where.platform, where.workspace, where.channel, platformMessageId],
    );
    return rows[0]!;
  }

  async recentMessages(thread: ThreadRef, limit: number): Promise<StoredMessage[]> {
    const rows = await query<MessageRow>(
      this.em,
      `with ${FIND_CONVERSATION_CTE}
       select * from (
         select ${MESSAGE_COLUMNS} from message m join conv c on c.id = m.conversation_id
         where m.thread_ref = ? order by m.created_at desc, m.id desc limit ?
       ) recent order by created_at asc, id asc`,
      [thread.platform, thread.workspace, thread.channel, thread.thread, limit],
    );
    return rows.map(toStoredMessage);
  }

  async threadExists(thread: ThreadRef): Promise<boolean> {
    const rows = await query<{ known: boolean }>(
      this.em,
      `with ${FIND_CONVERSATION_CTE}
       select exists (select 1 from message m join conv c on c.id = m.conversation_id where m.thread_ref = ?) as known`,
      [thread.platform, thread.workspace, thread.channel, thread.thread],
    );
    return rows[0]?.known === true;
  }

  async setAuthorName(messageId: string, name: string): Promise<void> {
    await query(this.em, 'update message set author_name = ? where id = ? and author_name <> ?', [name, messageId, name]);
  }

  async setPlatformMessageId(messageId: string, platformMessageId: string): Promise<void> {
    await query(this.em, 'update message set platform_message_id = ? where id = ?', [platformMessageId, messageId]);
  }

  async updateMessage<T extends 'agent_progress' | 'agent_result'>(
    messageId: string,
    type: T,
    text: string,
    metadata: MessageMetadata<T>,
  ): Promise<void> {
    const valid = metadataSchemas[type].parse(metadata);
    await query(this.em, 'update message set text = ?, metadata = ?::jsonb where id = ? and message_type = ?', [
      text,
      jsonParam(valid),
      messageId,
      type,
    ]);
  }
}
