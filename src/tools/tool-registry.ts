import type { ConversationRef } from '../core/model/conversation';
import type { Tool, ToolCatalog } from '../core/ports/tools';

/** A source of tools that may change over time and may limit where its tools are offered (e.g. an MCP server). */
export interface ToolSource {
  tools(): readonly Tool[];
  /** Default: everywhere. */
  allows?(scope: ConversationRef): boolean;
  /** A tool it knows but does not offer, found only by name so naming it gets the tool's refusal (e.g. why it is unavailable). Default: none. */
  withheld?(name: string): Tool | undefined;
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
    return this.sourcesFor(scope).flatMap((s) => s.tools());
  }

  /** An offered tool, else a withheld one, so `!run` of a tool that exists but cannot run says why. */
  find(name: string, scope: ConversationRef): Tool | undefined {
    const sources = this.sourcesFor(scope);
    return sources.flatMap((s) => s.tools()).find((t) => t.name === name) ?? sources.map((s) => s.withheld?.(name)).find((t) => t !== undefined);
  }

  unavailable(): readonly { name: string; reason: string }[] {
    return this.sources.flatMap((s) => s.unavailable?.() ?? []);
  }

  private sourcesFor(scope: ConversationRef): ToolSource[] {
    return this.sources.filter((s) => s.allows?.(scope) ?? true);
  }
}
