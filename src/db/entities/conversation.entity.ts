import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { PLATFORMS } from '../../core/model/conversation';

/** A channel in a workspace on a platform; unique on the three. */
export const ConversationEntity = defineEntity({
  name: 'Conversation',
  tableName: 'conversation',
  properties: (p) => ({
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    platform: p.enum([...PLATFORMS]),
    workspaceId: p.text(),
    channelId: p.text(),
    createdAt: p.datetime().defaultRaw('now()'),
    updatedAt: p.datetime().defaultRaw('now()'),
  }),
  uniques: [{ properties: ['platform', 'workspaceId', 'channelId'] }],
});

export type Conversation = InferEntity<typeof ConversationEntity>;
