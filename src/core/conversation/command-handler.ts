import { text } from '../model/card';
import type { IncomingCommand } from '../model/incoming';
import type { PrivateReply } from '../ports/chat-platform';
import type { Logger } from '../../logging/logger';
import type { Command } from './commands/command';
import { userFacingMessage } from '../user-facing-error';
import { quoteInput } from '../text/quote-input';

/** Routes a command by name; an unknown name or a failing command gets a clear private answer. */
export class CommandHandler {
  private readonly byName: Map<string, Command>;

  constructor(
    readonly commands: readonly Command[],
    private readonly defaultReply: (command: IncomingCommand) => PrivateReply,
    private readonly log: Logger,
  ) {
    this.byName = new Map(commands.map((c) => [c.name, c]));
  }

  async handle(command: IncomingCommand, reply: PrivateReply = this.defaultReply(command)): Promise<void> {
    const target = this.byName.get(command.name);
    if (!target) {
      const names = this.commands.map((c) => `!${c.name}`).join(', ');
      return reply(text(`Unknown command ${quoteInput(command.name)}. Commands: ${names}.`));
    }
    try {
      await target.run(command, reply);
    } catch (err) {
      this.log.warn({ err, command: command.name }, 'command failed');
      await reply(text(userFacingMessage(err)));
    }
  }
}
