import type { ConversationRef } from '../model/conversation';
import type { PlannedAction } from '../model/message';
import type { ToolCatalog } from '../ports/tools';

export type PlanCheck =
  | { readonly ok: true; readonly actions: PlannedAction[]; readonly destructive: boolean }
  | { readonly ok: false; readonly problems: string[] };

/**
 * The guards before any card is shown: every action names a tool available here and
 * its arguments pass that tool's schema. A request is destructive if the model says so
 * or any of its tools is declared destructive; the model cannot downgrade a tool.
 */
export function checkPlan(
  actions: readonly PlannedAction[],
  modelSaysDestructive: boolean,
  tools: ToolCatalog,
  scope: ConversationRef,
): PlanCheck {
  const problems: string[] = [];
  const checked: PlannedAction[] = [];
  let destructive = modelSaysDestructive;
  for (const action of actions) {
    const tool = tools.find(action.tool, scope);
    if (!tool) {
      problems.push(`unknown tool "${action.tool}"`);
      continue;
    }
    const args = tool.checkArgs(action.args);
    if (!args.ok) {
      problems.push(`${tool.name}: ${args.error}`);
      continue;
    }
    destructive ||= tool.destructive;
    checked.push({ tool: tool.name, args: args.args, reason: action.reason });
  }
  if (actions.length === 0) problems.push('no actions were given');
  return problems.length ? { ok: false, problems } : { ok: true, actions: checked, destructive };
}
