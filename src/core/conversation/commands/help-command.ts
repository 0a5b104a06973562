import { text } from '../../model/card';
import { conversationOf } from '../../model/conversation';
import type { PolicyCache } from '../../policy/policy-cache';
import { visibleTools, type EnvPolicy } from '../../policy/tool-policy';
import type { ToolCatalog } from '../../ports/tools';
import type { Command } from './command';

/** `help`: the commands and the tools available in this conversation (not those a policy rule hides here). */
export function helpCommand(commands: () => readonly Command[], tools: ToolCatalog, policy: { cache: PolicyCache; env: EnvPolicy }): Command {
  return {
    name: 'help',
    usage: 'help',
    summary: 'lists the commands and the tools',
    async run(command, reply) {
      const commandLines = commands().map((c) => `• !${c.usage} — ${c.summary}`);
      const scope = conversationOf(command.where);
      const toolLines = visibleTools(tools.list(scope), scope, await policy.cache.rulesIn(scope), policy.env).map((t) => {
        const flags = [t.destructive ? 'destructive' : '', t.readOnly ? 'read-only' : ''].filter(Boolean).join(', ');
        return `• ${t.name}${flags ? ` (${flags})` : ''} [${t.origin}] — ${t.description}`;
      });
      const down = tools.unavailable().map((u) => `• ${u.name} — unavailable: ${u.reason}`);
      const sections = [
        `*Commands* (also as /commands where the platform has them):\n${commandLines.join('\n')}`,
        `*Tools*:\n${toolLines.join('\n') || '• none'}`,
        ...(down.length ? [`*Unavailable*:\n${down.join('\n')}`] : []),
      ];
      await reply(text(sections.join('\n\n')));
    },
  };
}
