import type { Tool as McpToolDef } from '@modelcontextprotocol/sdk/types.js';
import { conversationKey, type ConversationRef } from '../core/model/conversation';
import type { Tool } from '../core/ports/tools';
import type { Logger } from '../logging/logger';
import type { ToolSource } from '../tools/tool-registry';
import type { McpScope, McpServerConfig } from './mcp-config';
import { errorMessage, rootMessage } from './error-message';
import { McpConnection } from './mcp-connection';
import { mcpTool, qualifiedName, refusingTool } from './mcp-tool';

interface Unavailable {
  name: string;
  reason: string;
}

/**
 * One configured MCP server as a source of tools: its allowed tools, offered only where
 * its scope allows, kept current as the server's list changes. A server that failed to
 * start offers nothing and shows in /help as unavailable, with the reason; so does a
 * tool it cannot offer (a bad schema, one that runs only as an MCP task), which is
 * refused with that reason when named.
 */
export class McpServerSource implements ToolSource {
  private current: Tool[] = [];
  private broken: Unavailable[] = [];
  private startFailure: string | null = null;
  private readonly connection: McpConnection;

  constructor(
    private readonly config: McpServerConfig,
    private readonly log: Logger,
  ) {
    this.connection = new McpConnection(config, log, (defs) => this.setTools(defs));
  }

  /** Connects and lists the tools; never throws: a failure is logged and shown as unavailable. */
  async start(): Promise<void> {
    try {
      await this.connection.start();
    } catch (error) {
      this.startFailure = `did not start or answer: ${rootMessage(error)}`;
      this.log.error({ err: error }, 'MCP server skipped: it did not start or answer; its tools are unavailable');
    }
  }

  close(): Promise<void> {
    return this.connection.close();
  }

  tools(): readonly Tool[] {
    return this.current;
  }

  allows(scope: ConversationRef): boolean {
    return inScope(this.config.scope, scope);
  }

  withheld(name: string): Tool | undefined {
    const tool = this.broken.find((b) => b.name === name);
    return tool && refusingTool(tool.name, this.config, tool.reason);
  }

  unavailable(): readonly Unavailable[] {
    if (this.startFailure) return [{ name: `mcp:${this.config.name}`, reason: this.startFailure }];
    return this.broken;
  }

  private setTools(defs: McpToolDef[]): void {
    const allowed = this.config.allowTools;
    const offered = allowed ? defs.filter((d) => allowed.includes(d.name)) : defs;
    const missing = allowed?.filter((a) => !defs.some((d) => d.name === a)) ?? [];
    if (missing.length) this.log.warn({ missing }, 'allowTools names tools the MCP server does not offer');
    const tools: Tool[] = [];
    const broken: Unavailable[] = [];
    for (const def of offered) {
      try {
        tools.push(mcpTool(def, this.config, (tool, args, options) => this.connection.call(tool, args, options)));
      } catch (error) {
        broken.push({ name: qualifiedName(this.config.name, def.name), reason: errorMessage(error) });
      }
    }
    if (broken.length) this.log.warn({ broken }, 'some MCP tools cannot be offered');
    this.current = tools;
    this.broken = broken;
    this.log.info({ tools: tools.map((t) => t.name) }, 'MCP tools listed');
  }
}

/** Every list the scope sets must contain the conversation's value; a channel matches by id or full key. */
function inScope(scope: McpScope | undefined, where: ConversationRef): boolean {
  if (!scope) return true;
  if (scope.platforms && !scope.platforms.includes(where.platform)) return false;
  if (scope.workspaces && !scope.workspaces.includes(where.workspace)) return false;
  if (scope.channels && !scope.channels.some((c) => c === where.channel || c === conversationKey(where))) return false;
  return true;
}
