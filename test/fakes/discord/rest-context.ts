import { ChannelType, PermissionFlagsBits, type APIMessage } from 'discord.js';
import { discordError, type DiscordErrorAnswer } from './limits-checks';
import type { MessageWorld } from './messages';
import type { JsonObject } from './payloads';
import type { ChannelRecord } from './state';

/** What REST handlers share: the world, the gateway echo, and settings. */
export interface RestContext extends MessageWorld {
  /** ws://127.0.0.1:PORT */
  gatewayUrl: () => string;
  interactionDeadlineMs: number;
}

/** Discord's JSON error codes used by the fake. https://discord.com/developers/docs/topics/opcodes-and-status-codes#json */
export const DiscordErrors = {
  unknownChannel: () => discordError(404, 10003, 'Unknown Channel'),
  unknownGuild: () => discordError(404, 10004, 'Unknown Guild'),
  unknownMember: () => discordError(404, 10007, 'Unknown Member'),
  unknownMessage: () => discordError(404, 10008, 'Unknown Message'),
  unknownUser: () => discordError(404, 10013, 'Unknown User'),
  unknownWebhook: () => discordError(404, 10015, 'Unknown Webhook'),
  unknownInteraction: () => discordError(404, 10062, 'Unknown interaction'),
  alreadyAcknowledged: () => discordError(400, 40060, 'Interaction has already been acknowledged.'),
  missingPermissions: () => discordError(403, 50013, 'Missing Permissions'),
  editOthersMessage: () => discordError(403, 50005, 'Cannot edit a message authored by another user'),
} as const;

/** The body as an object (an empty one when absent or not an object). */
export function bodyObject(body: unknown): JsonObject {
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as JsonObject) : {};
}

export function ok(body: unknown, status = 200): { status: number; body: unknown } {
  return { status, body };
}

export const noContent = { status: 204 } as const;

/** Guild-level check (no channel overwrites): DMs always pass, Administrator passes everything. */
export function botCan(ctx: RestContext, channel: ChannelRecord, permission: bigint): boolean {
  if (!channel.guildId) return true;
  return (ctx.state.memberPermissions(channel.guildId, ctx.state.bot.id) & permission) === permission;
}

/** Sending needs View Channel plus Send Messages (or Send Messages in Threads inside a thread). */
export function checkCanSend(ctx: RestContext, channel: ChannelRecord): DiscordErrorAnswer | null {
  const isThread = channel.type === ChannelType.PublicThread || channel.type === ChannelType.PrivateThread;
  const send = isThread ? PermissionFlagsBits.SendMessagesInThreads : PermissionFlagsBits.SendMessages;
  return botCan(ctx, channel, PermissionFlagsBits.ViewChannel | send) ? null : DiscordErrors.missingPermissions();
}

/** The stored message when it lives in the channel. */
export function messageIn(ctx: RestContext, channelId: string, messageId: string): APIMessage | undefined {
  const message = ctx.state.messages.get(messageId);
  return message?.channel_id === channelId ? message : undefined;
}
