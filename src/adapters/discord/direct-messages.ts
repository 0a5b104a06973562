import { RESTJSONErrorCodes, Routes, type APIChannel, type Client } from 'discord.js';
import { discordCall, hasDiscordCode } from './platform-errors';

/**
 * The bot's DM channel with `userId` (POST /users/@me/channels opens it, or finds the open
 * one). Null when Discord knows no such user: APPROVERS may name role ids, which look just
 * like user ids and are only told apart by asking.
 */
export async function openDirectChannel(client: Client, userId: string): Promise<string | null> {
  return discordCall(
    'open a DM channel',
    async () => {
      try {
        const channel = (await client.rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as APIChannel;
        return channel.id;
      } catch (error) {
        if (hasDiscordCode(error, RESTJSONErrorCodes.UnknownUser) || hasDiscordCode(error, RESTJSONErrorCodes.InvalidFormBodyOrContentType)) return null;
        throw error;
      }
    },
    { userId },
  );
}
