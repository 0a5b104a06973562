import { conversationOf, type ThreadRef } from '../model/conversation';
import type { ToolCatalog } from '../ports/tools';
import type { DescribeAction } from './request-card';

/** Looks each action's tool up in the catalog for the card's origin and preview lines. */
export function describeWith(tools: ToolCatalog, where: ThreadRef): DescribeAction {
  const scope = conversationOf(where);
  return (action) => {
    const tool = tools.find(action.tool, scope);
    return { origin: tool?.origin ?? 'unavailable', preview: tool?.preview?.(action.args) };
  };
}
