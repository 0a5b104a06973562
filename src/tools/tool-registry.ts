import type { ConversationRef } from '../core/model/conversation';
import type { Tool, ToolCatalog } from '../core/ports/tools';

/** A source of tools that may change over time and may limit where its tools are offered (e.g. an MCP server). */
export interface ToolSource {
  tools(): readonly Tool[];
  /** Default: everywhere. */
  allows?(scope: ConversationRef): boolean;
  unavailable?(): readonly { name: string; reason: string }[];
}

/** Every tool the agent may use: the built-ins plus whatever the sources offer right now. */
export class ToolRegistry implements ToolCatalog {
  private readonly sources: ToolSource[] = [];

  constructor(builtIns: readonly Tool[]) {
    this.sources.push({ tools: () => builtIns });
  }

  addSource(source: ToolSource): void {
    this.sources.push(source);
  }

  list(scope: ConversationRef): readonly Tool[] {
    return this.sources.filter((s) => s.allows?.(scope) ?? true).flatMap((s) => s.tools());
  }

  find(name: string, scope: ConversationRef): Tool | undefined {
    return this.list(scope).find((t) => t.name === name);
  }

  unavailable(): readonly { name: string; reason: string }[] {
    return this.sources.flatMap((s) => s.unavailable?.() ?? []);
  }
}
