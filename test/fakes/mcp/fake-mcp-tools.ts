import { setTimeout as sleep } from 'node:timers/promises';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

/** Something the fake server noticed, for tests to assert on (e.g. that a cancellation arrived). */
export interface FakeMcpEvent {
  readonly event: 'called' | 'cancelled';
  readonly tool: string;
}

export interface FakeMcpOptions {
  /** Called for every event; the stdio entry appends them to a file, the HTTP fake keeps them in memory. */
  record(event: FakeMcpEvent): void;
  /** What the `crash` tool does; the stdio entry exits the process. Without it, `crash` is not offered. */
  crash?(): void;
}

/**
 * The fake MCP server's tools, shared by its stdio and Streamable HTTP fronts. Each tool
 * exercises one thing the client must handle: annotations, progress, cancellation, a
 * crash, an `isError` result, non-text content, and a tool that runs only as a task.
 */
export function buildFakeMcpServer(options: FakeMcpOptions): McpServer {
  const server = new McpServer({ name: 'fake-mcp', version: '1.0.0' });
  const called = (tool: string) => options.record({ event: 'called', tool });

  server.registerTool(
    'echo',
    { description: 'Echoes the text back.', inputSchema: { text: z.string().min(1) }, annotations: { readOnlyHint: true } },
    async ({ text }) => {
      called('echo');
      return { content: [{ type: 'text', text: `echo: ${text}` }] };
    },
  );
  server.registerTool(
    'delete_thing',
    { description: 'Deletes a thing.', inputSchema: { id: z.string() }, annotations: { destructiveHint: true } },
    async ({ id }) => {
      called('delete_thing');
      return { content: [{ type: 'text', text: `deleted ${id}` }] };
    },
  );
  server.registerTool(
    'tag_thing',
    {
      description: 'Adds a tag to a thing; changes it but destroys nothing.',
      inputSchema: { id: z.string(), tag: z.string() },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
    },
    async ({ id, tag }) => {
      called('tag_thing');
      return { content: [{ type: 'text', text: `tagged ${id} with ${tag}` }] };
    },
  );
  registerSlowProgress(server, options);
  registerTaskOnly(server, options);
  server.registerTool('fail', { description: 'Always fails.', inputSchema: {} }, async () => {
    called('fail');
    return { isError: true, content: [{ type: 'text', text: 'the thing is broken' }] };
  });
  server.registerTool('picture', { description: 'Returns a caption and a picture.', inputSchema: {} }, async () => {
    called('picture');
    return {
      content: [
        { type: 'text', text: 'a red dot' },
        { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' },
      ],
    };
  });
  if (options.crash) {
    const crash = options.crash;
    server.registerTool('crash', { description: 'Dies mid-call.', inputSchema: {} }, async () => {
      called('crash');
      crash();
      return { content: [] };
    });
  }
  return server;
}

/** Sends one progress notification per step and stops early, recording it, when the call is cancelled. */
function registerSlowProgress(server: McpServer, options: FakeMcpOptions): void {
  server.registerTool(
    'slow_progress',
    {
      description: 'Works through `steps` steps, `delayMs` apart, reporting progress.',
      inputSchema: { steps: z.number().int().min(1).max(50), delayMs: z.number().int().min(0).max(10_000) },
      annotations: { readOnlyHint: true },
    },
    async ({ steps, delayMs }, extra) => {
      options.record({ event: 'called', tool: 'slow_progress' });
      const token = extra._meta?.progressToken;
      try {
        for (let i = 1; i <= steps; i++) {
          await sleep(delayMs, undefined, { signal: extra.signal });
          if (token !== undefined) {
            await extra.sendNotification({
              method: 'notifications/progress',
              params: { progressToken: token, progress: i, total: steps, message: `step ${i} of ${steps}` },
            });
          }
        }
      } catch (error) {
        if (extra.signal.aborted) options.record({ event: 'cancelled', tool: 'slow_progress' });
        throw error;
      }
      return { content: [{ type: 'text', text: `finished ${steps} steps` }] };
    },
  );
}

/**
 * A tool that can only run as an MCP task (`execution.taskSupport: "required"`), like
 * server-everything's `simulate-research-query`. The client should never call it, so any
 * call is recorded and refused.
 */
function registerTaskOnly(server: McpServer, options: FakeMcpOptions): void {
  const refuse = () => {
    options.record({ event: 'called', tool: 'simulate-research-query' });
    throw new Error('this fake runs no tasks');
  };
  server.experimental.tasks.registerToolTask(
    'simulate-research-query',
    {
      description: 'Researches a topic in the background, as an MCP task.',
      inputSchema: { topic: z.string() },
      annotations: { readOnlyHint: true },
      execution: { taskSupport: 'required' },
    },
    { createTask: refuse, getTask: refuse, getTaskResult: refuse },
  );
}
