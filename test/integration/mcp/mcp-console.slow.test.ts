import { PassThrough } from 'node:stream';
import { loadConfig } from '../../../src/config/config';
import { ConfigError } from '../../../src/core/errors';
import { createLogger } from '../../../src/logging/logger';
import { startSwitchboard } from '../../../src/app';
import { fakeMcpStdio, type FakeMcpStdio } from '../../fakes/mcp/fake-mcp-stdio';
import { consoleSession } from '../../support/console-session';
import { createTestDatabase, type TestDatabase } from '../../support/test-database';

let db: TestDatabase;
let stdio: FakeMcpStdio;
beforeAll(async () => {
  db = await createTestDatabase();
  stdio = fakeMcpStdio();
});
afterAll(async () => {
  stdio.cleanUp();
  await db.close();
});

const envWith = (mcpServers: string) => ({ DATABASE_URL: db.url, MIGRATE_ON_START: 'false', MCP_SERVERS: mcpServers });

const session = (lines: string[], mcpServers: string) => consoleSession(db.url, lines, { MCP_SERVERS: mcpServers });

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('MCP servers configured through MCP_SERVERS', () => {
  it('runs !run on an MCP tool in the console from card to approval, progress and result, and stops the server on exit', async () => {
    const servers = JSON.stringify([{ name: 'fake', ...stdio.launch, trusted: true }]);
    const shown = await session(['!run fake__slow_progress {"steps":3,"delayMs":100}', 'a'], servers);
    expect(shown).toContain('REQUEST NEEDS APPROVAL');
    expect(shown).toContain('fake__slow_progress');
    expect(shown).toContain('mcp:fake');
    expect(shown).toMatch(/↳ step 1 of 3 ✓/);
    expect(shown).toContain('✅ Done: Run fake__slow_progress\nfinished 3 steps');
    const pid = stdio.events()[0]!.pid;
    expect(isAlive(pid)).toBe(false);
  });

  it('refuses to start when MCP_SERVERS has a bad field, naming it', async () => {
    const config = loadConfig(envWith('[{"name":"fake","command":"x","url":"http://127.0.0.1:1/mcp"}]'));
    const started = startSwitchboard(config, createLogger({ level: 'silent' }), { input: new PassThrough(), output: new PassThrough() });
    await expect(started).rejects.toThrow(ConfigError);
    await expect(started).rejects.toThrow('MCP_SERVERS[0].command: set exactly one of "command" (stdio) or "url" (Streamable HTTP)');
  });
});
