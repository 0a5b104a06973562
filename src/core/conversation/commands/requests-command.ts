import { text } from '../../model/card';
import { conversationOf } from '../../model/conversation';
import type { AgentRequest } from '../../model/agent-request';
import type { AgentRun } from '../../model/agent-run';
import type { RequestStore, RunStore } from '../../ports/stores';
import type { Command } from './command';

const LIMIT = 10;

/** `requests`: this channel's recent runs, their requests and how they ended, with what each cost in tokens. */
export function requestsCommand(runs: RunStore, requests: RequestStore): Command {
  return {
    name: 'requests',
    usage: 'requests',
    summary: `lists this channel's last ${LIMIT} runs and their requests`,
    async run(command, reply) {
      const recent = await runs.recentRuns(conversationOf(command.where), LIMIT);
      if (recent.length === 0) return reply(text('No runs in this channel yet.'));
      const gates = await requests.requestsOfRuns(recent.map((r) => r.id));
      const lines = recent.flatMap((run) => [runLine(run), ...gates.filter((g) => g.runId === run.id).map(requestLine)]);
      await reply(text(lines.join('\n')));
    },
  };
}

function runLine(run: AgentRun): string {
  const cost = run.kind === 'manual' ? '' : `; ${run.turns} model turn${run.turns === 1 ? '' : 's'}, ${run.usage.totalTokens.toLocaleString('en-US')} tokens`;
  const calls = `${run.toolCalls} call${run.toolCalls === 1 ? '' : 's'}`;
  return `• ${run.createdAt.toISOString().slice(0, 16).replace('T', ' ')} ${run.status} — ${run.kind === 'manual' ? '!run' : 'agent run'} by ${run.requestedBy.name} (${calls}${cost}; id ${run.id})`;
}

function requestLine(request: AgentRequest): string {
  const by = request.decidedBy ? ` by ${request.decidedBy.name}` : '';
  return `   ↳ ${request.status}${by} — ${request.summary} (request ${request.id})`;
}
