import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { CONFIRMATION_PURPOSES } from '../../core/model/confirmation';
import { PLATFORMS } from '../../core/model/conversation';

/**
 * A one-time confirmation: the token a button carries, bound to the person and the
 * conversation it was issued to. The conversation is kept as its three keys, not a
 * foreign key, because a slash command may ask in a channel that has no row yet; redeeming
 * compares all of them in one conditional UPDATE. Used rows stay as the record of who confirmed.
 */
export const ConfirmationEntity = defineEntity({
  name: 'Confirmation',
  tableName: 'confirmation',
  properties: (p) => ({
    token: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    purpose: p.enum([...CONFIRMATION_PURPOSES]),
    platform: p.enum([...PLATFORMS]),
    workspaceId: p.text(),
    channelId: p.text(),
    userId: p.text(),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    createdAt: p.datetime().defaultRaw('now()'),
  }),
});

export type Confirmation = InferEntity<typeof ConfirmationEntity>;
