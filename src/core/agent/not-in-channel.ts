import type { Logger } from '../../logging/logger';
import { NotInChannelError } from '../errors';
import { text } from '../model/card';
import type { ThreadRef } from '../model/conversation';
import type { PlatformDirectory } from '../ports/platforms';
import { userFacingMessage } from '../user-facing-error';

/**
 * When `error` says the bot may not post in `where`'s channel: tells `userId` how to let it
 * in, by direct message (an ephemeral note would go into the same channel and be refused
 * too), logs it as a warning (the channel's members decide, nothing is broken) and answers
 * true. The caller then posts nothing more into that channel. False for any other error.
 */
export async function toldNotInChannel(platforms: PlatformDirectory, where: ThreadRef, userId: string, error: unknown, log: Logger): Promise<boolean> {
  if (!(error instanceof NotInChannelError)) return false;
  log.warn({ err: error, channel: where.channel }, 'not allowed to post in the channel; telling the person privately');
  const platform = platforms.get(where.platform);
  try {
    const sent = await platform.directMessage?.({ platform: where.platform, workspace: where.workspace, userId }, text(userFacingMessage(error)));
    if (!sent) log.warn({ userId }, 'no direct message to send the hint by');
  } catch (err) {
    log.warn({ err, userId }, 'could not send the hint by direct message either');
  }
  return true;
}
