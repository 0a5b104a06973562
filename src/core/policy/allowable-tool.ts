import type { AgentRequest } from '../model/agent-request';
import { conversationOf } from '../model/conversation';
import type { ToolCatalog } from '../ports/tools';

/**
 * The one tool a request may be always allowed for: all its calls of one tool, neither the
 * request nor the tool destructive. Null otherwise (the card shows no such button then).
 */
export function allowableTool(request: Pick<AgentRequest, 'destructive' | 'calls' | 'where'>, tools: ToolCatalog): string | null {
  const names = new Set(request.calls.map((c) => c.tool));
  const [name] = names;
  if (request.destructive || names.size !== 1 || !name) return null;
  const tool = tools.find(name, conversationOf(request.where));
  return tool && !tool.destructive ? tool.name : null;
}
