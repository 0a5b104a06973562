import { text } from '../../model/card';
import type { UserRef } from '../../model/inbox';
import type { PlatformDirectory } from '../../ports/platforms';
import type { Inbox } from '../../inbox/inbox';
import type { Command } from './command';

/**
 * `pending`: the requests of this workspace waiting for the asker's decision, with the cards'
 * Approve and Deny, shown to them alone. A typed `!pending` on a platform whose private notes
 * are seen by the whole thread (Discord) goes by direct message instead; a slash command's
 * answer is private everywhere.
 */
export function pendingCommand(inbox: Inbox, platforms: PlatformDirectory): Command {
  return {
    name: 'pending',
    usage: 'pending',
    summary: 'lists, privately, the requests in this workspace waiting for your decision, with their buttons',
    async run(command, reply) {
      const asker: UserRef = { platform: command.where.platform, workspace: command.where.workspace, userId: command.user.id };
      const list = await inbox.pendingList(asker);
      const platform = platforms.get(asker.platform);
      const typed = command.messageId !== undefined;
      if (!typed || platform.notesArePrivate !== false) return reply(list);
      if (!platform.directMessage) return reply(text('Here everyone in the thread would see the list: use the /switchboard pending command instead.'));
      await platform.directMessage(asker, list);
      await reply(text('I sent you the list in a direct message.'));
    },
  };
}
