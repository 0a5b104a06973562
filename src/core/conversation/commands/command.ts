import type { IncomingCommand } from '../../model/incoming';
import type { PrivateReply } from '../../ports/chat-platform';

/** One command, usable as `!name args`, `/name args` in the console, or a slash command. */
export interface Command {
  readonly name: string;
  /** e.g. `run <tool> <json-args>` */
  readonly usage: string;
  readonly summary: string;
  run(command: IncomingCommand, reply: PrivateReply): Promise<void>;
}
