import { NotInChannelError } from '../../errors';
import { text } from '../../model/card';
import type { CallRecorder } from '../../agent/call-recorder';
import { parseJsonObject } from '../../text/json-object';
import { quoteInput } from '../../text/quote-input';
import { userFacingMessage } from '../../user-facing-error';
import type { Command } from './command';

const USAGE = 'run <tool> <json-args>';

/**
 * `run <tool> <json-args>`: a one-step run that needs no model, through the same checks, policy
 * and card as the model's calls. A call that would be refused is refused here, privately.
 */
export function runCommand(recorder: CallRecorder): Command {
  return {
    name: 'run',
    usage: USAGE,
    summary: 'proposes running a tool (needs approval unless policy runs it at once)',
    async run(command, reply) {
      const match = /^(\S+)\s*([\s\S]*)$/.exec(command.args);
      if (!match) return reply(text(`Usage: !${USAGE}, e.g. !run countdown {"steps":3,"delayMs":200}`));
      const [, tool, json] = match as unknown as [string, string, string];
      if (!parseJsonObject(json)) return reply(text(`The arguments must be a JSON object, e.g. !run ${quoteInput(tool)} {"key":"value"}`));
      const outcome = await recorder.startRun({
        where: command.where,
        requestedBy: command.user,
        triggerMessageId: command.messageId ?? null,
        traceId: command.traceId,
        kind: 'manual',
        said: null,
        usage: null,
        toolCalls: [{ id: 'manual', name: tool, arguments: json.trim() || '{}' }],
      });
      if (outcome.kind === 'refused') return reply(text(`Can't run that: ${outcome.why.replace(/[^.]$/, '$&.')} Try !help for the tools.`));
      // Where the bot may not post, the planner has told the person privately already.
      if (outcome.kind === 'card_failed' && !(outcome.error instanceof NotInChannelError)) return reply(text(userFacingMessage(outcome.error)));
    },
  };
}
