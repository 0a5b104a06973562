import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeMcpEvent } from './fake-mcp-tools';

const ENTRY = join(__dirname, 'stdio-entry.ts');

/** How to spawn the fake MCP server over stdio, and what it recorded. */
export interface FakeMcpStdio {
  /** The `command` / `args` / `env` part of an MCP_SERVERS entry. */
  readonly launch: { command: string; args: string[]; env: Record<string, string> };
  /** Events every process spawned from `launch` recorded, oldest first. */
  events(): (FakeMcpEvent & { pid: number })[];
  /** Removes the events file. */
  cleanUp(): void;
}

/** The fake server runs as a child `node --import tsx` process, as a real stdio server would run. */
export function fakeMcpStdio(): FakeMcpStdio {
  const eventsFile = join(tmpdir(), `fake-mcp-${randomUUID()}.jsonl`);
  return {
    launch: { command: process.execPath, args: ['--import', 'tsx', ENTRY], env: { FAKE_MCP_EVENTS: eventsFile } },
    events: () =>
      existsSync(eventsFile)
        ? readFileSync(eventsFile, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as FakeMcpEvent & { pid: number })
        : [],
    cleanUp: () => rmSync(eventsFile, { force: true }),
  };
}
