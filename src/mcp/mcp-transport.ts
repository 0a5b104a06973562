import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { truncate } from '../core/text/truncate';
import type { Logger } from '../logging/logger';
import type { McpServerConfig } from './mcp-config';

const STDERR_LINE_CHARS = 500;

/**
 * A fresh transport for one connection attempt. A stdio server is a child process that
 * inherits only the SDK's short list of safe variables (HOME, PATH, ...) plus its
 * configured `env`, never Switchboard's secrets; its stderr goes to our log.
 */
export function createTransport(config: McpServerConfig, log: Logger): Transport {
  if (config.transport === 'http') {
    return new StreamableHTTPClientTransport(new URL(config.url), { requestInit: { headers: config.headers } });
  }
  const transport = new StdioClientTransport({ command: config.command, args: config.args, env: config.env, stderr: 'pipe' });
  // With stderr 'pipe' the SDK hands out a PassThrough at once, typed only as Stream.
  const stderr = transport.stderr as Readable | null;
  if (stderr) {
    createInterface({ input: stderr }).on('line', (line) =>
      log.info({ stderr: truncate(line, STDERR_LINE_CHARS) }, 'MCP server wrote to stderr'),
    );
  }
  return transport;
}
