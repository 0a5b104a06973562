import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  ErrorCode,
  McpError,
  ToolListChangedNotificationSchema,
  type CallToolResult,
  type Progress,
  type Tool as McpToolDef,
} from '@modelcontextprotocol/sdk/types.js';
import { ToolError } from '../core/errors';
import type { Logger } from '../logging/logger';
import { CallsInFlight } from './calls-in-flight';
import type { McpServerConfig } from './mcp-config';
import { errorMessage } from './error-message';
import { createTransport } from './mcp-transport';

const CLIENT_INFO = { name: 'switchboard', version: '0.1.0' };
/** A server that keeps returning cursors is cut off here rather than listed forever. */
const MAX_LIST_PAGES = 50;

/** How one call is watched: Cancel / timeout through the signal, progress through the callback. */
export interface McpCallOptions {
  readonly signal: AbortSignal;
  onProgress(progress: Progress): void;
}

/**
 * The client side of one MCP server: calls share one connection; a dropped connection fails
 * the call under way and the next call reconnects (one attempt shared by concurrent callers);
 * a transport error that a ping confirms fails the calls under way at once as "stopped
 * answering". docs/development.md, "MCP connections".
 */
export class McpConnection {
  private client: Client | null = null;
  private connecting: Promise<Client> | null = null;
  private closed = false;
  private listings = 0;
  private readonly inFlight = new CallsInFlight<Client>();
  /** The client being pinged after a transport error, so that a burst of errors sends one ping. */
  private probing: Client | null = null;

  constructor(
    private readonly config: McpServerConfig,
    private readonly log: Logger,
    /** Receives the server's full tool list after each connect and each list_changed. */
    private readonly onTools: (tools: McpToolDef[]) => void,
  ) {}

  /** Connects and lists the tools. @throws ToolError when the server does not start or answer in time. */
  async start(): Promise<void> {
    await this.connected();
  }

  /**
   * Calls a tool by its MCP name. The call may stay quiet for `timeoutMs`, counted again
   * from each progress notification, and may last `maxTotalTimeoutMs` in all.
   * @throws ToolError for timeouts, lost connections and protocol errors; the abort reason when the signal fired.
   */
  async call(tool: string, args: Record<string, unknown>, options: McpCallOptions): Promise<CallToolResult> {
    // Our own deadline rather than the SDK's maxTotalTimeout: that one is checked only when
    // progress arrives, and it drops the call without telling the server, which keeps
    // working. Aborting sends notifications/cancelled, so the server stops too.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), this.config.maxTotalTimeoutMs);
    try {
      return await this.attempt(tool, args, { ...options, signal: AbortSignal.any([options.signal, deadline.signal]) }, true);
    } catch (error) {
      if (deadline.signal.aborted && !options.signal.aborted) throw this.overran(tool, error);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    await client?.close();
  }

  private async attempt(tool: string, args: Record<string, unknown>, options: McpCallOptions, mayRetry: boolean): Promise<CallToolResult> {
    const client = await this.connected();
    const inFlight = this.inFlight.begin(client, tool);
    try {
      return (await client.callTool({ name: tool, arguments: args }, undefined, {
        signal: AbortSignal.any([options.signal, inFlight.signal]),
        timeout: this.config.timeoutMs,
        resetTimeoutOnProgress: true,
        onprogress: options.onProgress,
      })) as CallToolResult;
    } catch (error) {
      if (options.signal.aborted) throw options.signal.reason;
      if (inFlight.signal.aborted) throw inFlight.signal.reason;
      if (mayRetry && sessionRefused(client, error)) {
        this.dropped(client, 'the server no longer knows our session');
        return this.attempt(tool, args, options, false);
      }
      throw this.callError(client, tool, error);
    } finally {
      inFlight.end();
    }
  }

  private connected(): Promise<Client> {
    if (this.client) return Promise.resolve(this.client);
    if (this.closed) return Promise.reject(this.unavailable(new Error('Switchboard is shutting down')));
    this.connecting ??= this.connect().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async connect(): Promise<Client> {
    const client = new Client(CLIENT_INFO, { capabilities: {} });
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => this.refresh(client));
    client.onerror = (err) => {
      this.log.debug({ err }, 'MCP transport error');
      void this.probe(client);
    };
    client.onclose = () => this.dropped(client, 'the connection closed');
    try {
      await client.connect(createTransport(this.config, this.log), { timeout: this.config.startupTimeoutMs });
      await this.list(client);
    } catch (error) {
      await client.close().catch(() => undefined);
      throw this.unavailable(error);
    }
    if (this.closed) {
      await client.close();
      throw this.unavailable(new Error('Switchboard is shutting down'));
    }
    this.client = client;
    this.log.info({ transport: this.config.transport }, 'MCP server connected');
    return client;
  }

  /** Lists every page; only the newest listing wins if list_changed notifications overlap. */
  private async list(client: Client): Promise<void> {
    const listing = ++this.listings;
    const tools: McpToolDef[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const result = await client.listTools(cursor ? { cursor } : undefined, { timeout: this.config.startupTimeoutMs });
      tools.push(...result.tools);
      cursor = result.nextCursor;
      if (!cursor) break;
    }
    if (listing === this.listings) this.onTools(tools);
  }

  private refresh(client: Client): void {
    this.log.info('MCP server says its tools changed');
    this.list(client).catch((err: unknown) => this.log.warn({ err }, 'could not refresh the MCP tool list; keeping the old one'));
  }

  /**
   * After a transport error with calls under way: whether the server still answers on this
   * session. A crashed server refuses the connection at once, a restarted one no longer
   * knows the session; either way the calls under way are lost, so they fail now.
   */
  private async probe(client: Client): Promise<void> {
    if (this.probing === client || this.client !== client || !this.inFlight.any(client)) return;
    this.probing = client;
    try {
      await client.ping({ timeout: this.config.timeoutMs });
    } catch (error) {
      this.log.warn({ err: error }, 'MCP server stopped answering; failing the calls under way');
      this.inFlight.failAll(client, (tool) => this.lost(tool, error));
      this.dropped(client, errorMessage(error));
    } finally {
      if (this.probing === client) this.probing = null;
    }
  }

  /** Forgets a broken client so the next call reconnects. */
  private dropped(client: Client, why: string): void {
    if (this.client !== client) return;
    this.client = null;
    if (!this.closed) this.log.warn({ why }, 'MCP server connection lost; the next call reconnects');
    void client.close().catch(() => undefined);
  }

  private callError(client: Client, tool: string, error: unknown): ToolError {
    const context = { server: this.config.name, tool };
    const cause = { cause: error };
    if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
      const quiet = `MCP server "${this.config.name}" sent no result or progress for ${tool} in ${this.config.timeoutMs} ms (timeoutMs); the call was cancelled.`;
      return new ToolError('mcp_timeout', quiet, context, cause);
    }
    if (error instanceof McpError && error.code !== ErrorCode.ConnectionClosed) {
      return new ToolError('mcp_error', `MCP server "${this.config.name}" refused ${tool}: ${error.message}`, context, cause);
    }
    this.dropped(client, errorMessage(error));
    return this.lost(tool, error);
  }

  private lost(tool: string, error: unknown): ToolError {
    return new ToolError(
      'mcp_connection_lost',
      `MCP server "${this.config.name}" stopped answering during ${tool} (${errorMessage(error)}); the action failed, and the next call reconnects.`,
      { server: this.config.name, tool },
      { cause: error },
    );
  }

  private overran(tool: string, error: unknown): ToolError {
    const limit = this.config.maxTotalTimeoutMs;
    return new ToolError(
      'mcp_timeout',
      `MCP server "${this.config.name}" did not finish ${tool} within its limit of ${limit} ms in all (maxTotalTimeoutMs); the call was cancelled.`,
      { server: this.config.name, tool, maxTotalTimeoutMs: limit },
      { cause: error },
    );
  }

  private unavailable(error: unknown): ToolError {
    return new ToolError('mcp_unavailable', `MCP server "${this.config.name}" is unavailable: ${errorMessage(error)}`, { server: this.config.name }, { cause: error });
  }
}

/**
 * Whether the server turned the call away because it no longer knows our session, as a
 * restarted Streamable HTTP server does: with 404 by the spec, with 400 "No valid session
 * ID provided" from the reference servers and the SDK's examples. Either status comes
 * from the server's transport before any tool runs (a tool's own errors travel inside a
 * 200), so the call never started and one retry on a new session is safe whatever the
 * tool's risk. Only the status is read, never the message.
 */
function sessionRefused(client: Client, error: unknown): boolean {
  const refused = error instanceof StreamableHTTPError && (error.code === 400 || error.code === 404);
  return refused && client.transport?.sessionId !== undefined;
}
