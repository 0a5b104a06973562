import { text } from '../../model/card';
import { conversationOf } from '../../model/conversation';
import type { RequestStore } from '../../ports/stores';
import type { Command } from './command';

const LIMIT = 10;

/** `requests`: this channel's recent requests and how they ended. */
export function requestsCommand(store: RequestStore): Command {
  return {
    name: 'requests',
    usage: 'requests',
    summary: `lists this channel's last ${LIMIT} requests`,
    async run(command, reply) {
      const recent = await store.recentRequests(conversationOf(command.where), LIMIT);
      if (recent.length === 0) return reply(text('No requests in this channel yet.'));
      const lines = recent.map((r) => {
        const by = r.decidedBy ? ` by ${r.decidedBy.name}` : '';
        return `• ${r.createdAt.toISOString().slice(0, 16)} ${r.status}${by} — ${r.summary} (requested by ${r.requestedBy.name}; id ${r.id})`;
      });
      await reply(text(lines.join('\n')));
    },
  };
}
