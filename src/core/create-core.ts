import type { IncomingCommand } from './model/incoming';
import type { PrivateReply } from './ports/chat-platform';
import type { Core } from './ports/inbound';
import type { CoreDeps } from './core-deps';
import { ActionHandler } from './conversation/action-handler';
import { CommandHandler } from './conversation/command-handler';
import type { Command } from './conversation/commands/command';
import { decisionCommands } from './conversation/commands/decision-commands';
import { helpCommand } from './conversation/commands/help-command';
import { requestsCommand } from './conversation/commands/requests-command';
import { runCommand } from './conversation/commands/run-command';
import { MessageHandler } from './conversation/message-handler';
import { contextCommand } from './conversation/commands/context-command';
import { RequestRunner } from './requests/request-runner';
import { RequestService } from './requests/request-service';
import { OutboundPlatform } from './outbound/outbound-platform';
import { WorkLimiter } from './work-limiter';

/** Wires the core's handlers over its ports. */
export function createCore(given: CoreDeps): Core {
  // Everything the core sends to a channel shares that channel's rate budget.
  const outbound = given.log.child({ module: 'outbound' });
  const deps: CoreDeps = { ...given, platforms: given.platforms.decorated((p) => new OutboundPlatform(p, given.settings.outbound, outbound, given.clock)) };
  const requests = new RequestService(deps);
  const runner = new RequestRunner(deps, requests);
  const commands: Command[] = [];
  commands.push(
    helpCommand(() => commands, deps.tools),
    runCommand(deps.tools, requests),
    ...decisionCommands(requests),
    requestsCommand(deps.requests),
    contextCommand(deps.contexts, { maxValueChars: deps.settings.contextMaxValueChars, maxFacts: deps.settings.contextMaxFacts }, () => deps.clock.now()),
  );
  const ephemeralTo = (where: IncomingCommand['where'], userId: string): PrivateReply => (message) =>
    deps.platforms.get(where.platform).ephemeral(where, userId, message);
  const commandHandler = new CommandHandler(commands, (c) => ephemeralTo(c.where, c.user.id), deps.log);
  const turns = new WorkLimiter(deps.settings.maxConcurrentTurns);
  const messages = new MessageHandler(deps, requests, commandHandler, turns);
  const actions = new ActionHandler(deps, requests);
  return {
    acceptMessage: (m, options) => messages.accept(m, options),
    handleMessage: (m, options) => messages.handle(m, options),
    handleAction: (a, reply = ephemeralTo(a.where, a.user.id)) => actions.handle(a, reply),
    handleCommand: (c, reply) => commandHandler.handle(c, reply),
    runRequest: (id) => runner.run(id),
    expireDueRequests: () => requests.expireDue(),
    recoverStalledRuns: () => requests.recoverStalled(),
  };
}
