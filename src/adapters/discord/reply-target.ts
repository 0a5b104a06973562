import { ChannelType, RESTJSONErrorCodes, Routes, type APIChannel, type Client } from 'discord.js';
import type { ThreadRef } from '../../core/model/conversation';
import { discordCall, hasDiscordCode } from './platform-errors';
import { DM_WORKSPACE } from './thread-refs';

/** Where a message for a ThreadRef goes: a channel, and the message it replies to, if any. */
export interface ReplyTarget {
  readonly channelId: string;
  readonly replyTo?: string;
}

const THREAD_TYPES = new Set<ChannelType>([ChannelType.PublicThread, ChannelType.PrivateThread, ChannelType.AnnouncementThread]);
/** Answers remembered from the API, for shards that do not serve the guild. */
const MAX_REMEMBERED = 1000;

/**
 * Turns a ThreadRef back into a place to post (see thread-refs.ts for the convention).
 * The one open question is whether `thread` names a Discord thread or a message in the
 * channel: the client's cache answers it for guilds this shard serves (it holds every
 * active thread); for any other guild, e.g. a run picked up by another process, the API
 * answers once per id. Everything is posted through REST routes, so any shard can post
 * anywhere the bot is.
 */
export class ReplyTargets {
  private readonly remembered = new Map<string, boolean>();

  constructor(private readonly client: Client) {}

  async resolve(where: ThreadRef): Promise<ReplyTarget> {
    if (where.thread === where.channel) return { channelId: where.channel };
    if (where.workspace !== DM_WORKSPACE && (await this.isDiscordThread(where))) return { channelId: where.thread };
    return { channelId: where.channel, replyTo: where.thread };
  }

  private async isDiscordThread(where: ThreadRef): Promise<boolean> {
    const cached = this.client.channels.cache.get(where.thread);
    if (cached) return cached.isThread();
    if (this.client.guilds.cache.has(where.workspace)) return false;
    const known = this.remembered.get(where.thread);
    if (known !== undefined) return known;
    const answer = await discordCall('GET channel', async () => {
      try {
        const channel = (await this.client.rest.get(Routes.channel(where.thread))) as APIChannel;
        return THREAD_TYPES.has(channel.type);
      } catch (error) {
        if (hasDiscordCode(error, RESTJSONErrorCodes.UnknownChannel)) return false;
        throw error;
      }
    });
    if (this.remembered.size >= MAX_REMEMBERED) this.remembered.delete(this.remembered.keys().next().value!);
    this.remembered.set(where.thread, answer);
    return answer;
  }
}
