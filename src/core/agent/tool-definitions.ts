import type { ToolDefinition } from '../ports/language-model';
import type { Tool } from '../ports/tools';

const definitions = new WeakMap<Tool, ToolDefinition>();

/** The tools as the model sees them; each definition is built once per tool, not per turn. */
export function toolDefinitions(tools: readonly Tool[]): ToolDefinition[] {
  return tools.map((tool) => {
    let definition = definitions.get(tool);
    if (!definition) {
      definition = { name: tool.name, description: tool.description, parameters: tool.inputJsonSchema };
      definitions.set(tool, definition);
    }
    return definition;
  });
}
