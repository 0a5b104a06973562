import type { Logger } from '../logging/logger';
import type { ToolSource } from '../tools/tool-registry';
import type { McpServerConfig } from './mcp-config';
import { McpServerSource } from './mcp-server-source';

/** The configured MCP servers, connected (or marked unavailable), ready for `ToolRegistry.addSource`. */
export interface McpServers {
  /** One source per server, in configuration order. */
  readonly sources: readonly ToolSource[];
  /** Closes every client (stdio servers are asked to exit, then killed). */
  close(): Promise<void>;
}

/**
 * Connects to every server at once, each bounded by its own start-up timeout, so start-up
 * waits at most as long as the slowest server is allowed. Never throws: a server that
 * fails is logged and shown as unavailable, and the bot starts without it.
 */
export async function connectMcpServers(configs: readonly McpServerConfig[], log: Logger): Promise<McpServers> {
  const sources = configs.map((config) => new McpServerSource(config, log.child({ mcpServer: config.name })));
  await Promise.all(sources.map((s) => s.start()));
  return {
    sources,
    close: async () => {
      await Promise.all(sources.map((s) => s.close().catch((err: unknown) => log.warn({ err }, 'closing an MCP client failed'))));
    },
  };
}
