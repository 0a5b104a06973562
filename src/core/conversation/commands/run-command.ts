import { text } from '../../model/card';
import { conversationOf } from '../../model/conversation';
import type { ToolCatalog } from '../../ports/tools';
import { checkPlan } from '../../requests/check-plan';
import type { RequestService } from '../../requests/request-service';
import type { Command } from './command';
import { quoteInput } from '../../text';

const USAGE = 'run <tool> <json-args>';
/** Argument problems can name keys the person typed: show this much of them. */
const PROBLEMS_SHOWN_CHARS = 300;

/** `run <tool> <json-args>`: builds a request by hand, through the same guards and card as the model's. */
export function runCommand(tools: ToolCatalog, requests: RequestService): Command {
  return {
    name: 'run',
    usage: USAGE,
    summary: 'proposes running a tool (needs approval)',
    async run(command, reply) {
      const match = /^(\S+)\s*([\s\S]*)$/.exec(command.args);
      if (!match) return reply(text(`Usage: !${USAGE}, e.g. !run countdown {"steps":3,"delayMs":200}`));
      const [, name, json] = match as unknown as [string, string, string];
      const scope = conversationOf(command.where);
      // Only a tool's own name is ever repeated in full; what was typed is quoted short.
      const tool = tools.find(name, scope);
      if (!tool) return reply(text(`I have no tool ${quoteInput(name)} here. Try !help for the tools.`));
      const args = parseJsonObject(json);
      if (!args) return reply(text(`The arguments must be a JSON object, e.g. !run ${tool.name} {"key":"value"}`));
      const plan = checkPlan([{ tool: tool.name, args, reason: 'requested by hand' }], false, tools, scope);
      if (!plan.ok) return reply(text(`Can't run that: ${quoteInput(plan.problems.join('; '), PROBLEMS_SHOWN_CHARS)}. Try !help for the tools.`));
      await requests.propose(command.where, command.user, `Run ${tool.name}`, plan.actions, plan.destructive);
    },
  };
}

function parseJsonObject(json: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(json.trim() || '{}');
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
