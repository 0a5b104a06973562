import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { ConversationEntity } from './conversation.entity';

/**
 * A private thread between one person and the bot that the platform shows as an assistant
 * panel (Slack's AI app threads): the channel the person has open beside it, kept here so
 * that whichever replica answers the thread names it, and whether the thread was greeted and titled.
 * Only the viewed channel's ids are kept: never its history or facts.
 */
export const AssistantThreadEntity = defineEntity({
  name: 'AssistantThread',
  tableName: 'assistant_thread',
  properties: (p) => ({
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    conversation: p.manyToOne(ConversationEntity).deleteRule('cascade'),
    threadRef: p.text(),
    viewedWorkspaceId: p.text().nullable(),
    viewedChannelId: p.text().nullable(),
    /** When the platform said the person moved to the viewed channel: an older event arriving late changes nothing. */
    viewedAt: p.datetime().nullable(),
    greeted: p.boolean().default(false),
    titled: p.boolean().default(false),
    createdAt: p.datetime().defaultRaw('now()'),
  }),
  uniques: [{ properties: ['conversation', 'threadRef'] }],
});

export type AssistantThread = InferEntity<typeof AssistantThreadEntity>;
