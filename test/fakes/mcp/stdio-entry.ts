/**
 * The fake MCP server over stdio, spawned by tests as a child process
 * (`node --import tsx test/fakes/mcp/stdio-entry.ts`). Events go to the JSON-lines
 * file named by FAKE_MCP_EVENTS so the test can see what happened inside the child.
 */
import { appendFileSync } from 'node:fs';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { buildFakeMcpServer } from './fake-mcp-tools';

const eventsFile = process.env.FAKE_MCP_EVENTS;

const server = buildFakeMcpServer({
  record: (event) => {
    if (eventsFile) appendFileSync(eventsFile, `${JSON.stringify({ ...event, pid: process.pid })}\n`);
  },
  crash: () => process.exit(3),
});

server.connect(new StdioServerTransport()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
