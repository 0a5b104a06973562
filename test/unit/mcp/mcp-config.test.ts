import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../src/core/errors';
import { parseMcpServers } from '../../../src/mcp/mcp-config';

const configError = (raw: string): ConfigError => {
  try {
    parseMcpServers(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('MCP_SERVERS', () => {
  it('means no servers when unset or empty', () => {
    expect(parseMcpServers(undefined)).toEqual([]);
    expect(parseMcpServers('  ')).toEqual([]);
  });

  it('reads stdio and HTTP servers, untrusted unless they say so, with default timeouts', () => {
    const servers = parseMcpServers(
      JSON.stringify([
        { name: 'github', command: 'npx', args: ['-y', 'some-mcp-server'], env: { TOKEN: 't' } },
        { name: 'docs', url: 'https://mcp.example.com/mcp', headers: { authorization: 'Bearer x' }, trusted: true, allowTools: ['search'] },
      ]),
    );
    expect(servers).toEqual([
      { name: 'github', transport: 'stdio', command: 'npx', args: ['-y', 'some-mcp-server'], env: { TOKEN: 't' }, trusted: false, timeoutMs: 60_000, maxTotalTimeoutMs: 300_000, startupTimeoutMs: 15_000 },
      {
        name: 'docs',
        transport: 'http',
        url: 'https://mcp.example.com/mcp',
        headers: { authorization: 'Bearer x' },
        trusted: true,
        allowTools: ['search'],
        timeoutMs: 60_000,
        maxTotalTimeoutMs: 300_000,
        startupTimeoutMs: 15_000,
      },
    ]);
  });

  it('keeps a call at least its timeoutMs long in all, whatever progress it reports', () => {
    const [long, bounded] = parseMcpServers(
      JSON.stringify([
        { name: 'long', command: 'a', timeoutMs: 600_000 },
        { name: 'bounded', command: 'a', timeoutMs: 1000, maxTotalTimeoutMs: 5000 },
      ]),
    );
    expect(long!.maxTotalTimeoutMs).toBe(600_000);
    expect(bounded!.maxTotalTimeoutMs).toBe(5000);
  });

  it('reads the list from a JSON file when the value is a path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-config-'));
    const file = join(dir, 'mcp.json');
    writeFileSync(file, JSON.stringify([{ name: 'local', command: 'node', args: ['server.js'] }]));
    try {
      expect(parseMcpServers(file).map((s) => [s.name, s.transport])).toEqual([['local', 'stdio']]);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it.each([
    ['[{"name":"x","url":"ftp://example.com"}]', 'MCP_SERVERS[0].url: expected an http(s) URL'],
    ['[{"name":"x"}]', 'MCP_SERVERS[0].command: set exactly one of "command" (stdio) or "url" (Streamable HTTP)'],
    ['[{"name":"x","command":"a","url":"http://b"}]', 'MCP_SERVERS[0].command: set exactly one of "command" (stdio) or "url" (Streamable HTTP)'],
    ['[{"name":"x","command":"a","headers":{}}]', 'MCP_SERVERS[0].headers: only for HTTP servers'],
    ['[{"name":"a__b","command":"a"}]', 'MCP_SERVERS[0].name: expected letters, digits, - and single _ (tools are named <server>__<tool>)'],
    ['[{"name":"a","command":"a"},{"name":"a","url":"http://b"}]', 'MCP_SERVERS[1].name: duplicate server name "a"'],
    ['[{"name":"a","command":"a","trusted":"yes"}]', 'MCP_SERVERS[0].trusted: Invalid input: expected boolean, received string'],
    ['[{"name":"a","command":"a","scope":{"platforms":["irc"]}}]', 'MCP_SERVERS[0].scope.platforms[0]: Invalid option: expected one of "slack"|"discord"|"console"'],
    ['[{"name":"a","command":"a","allowtools":["x"]}]', 'MCP_SERVERS[0]: Unrecognized key: "allowtools"'],
    ['[{"name":"a","command":"a","timeoutMs":2000,"maxTotalTimeoutMs":1000}]', 'MCP_SERVERS[0].maxTotalTimeoutMs: must be at least timeoutMs (2000)'],
  ])('refuses %s naming MCP_SERVERS and the field', (raw, message) => {
    const error = configError(raw);
    expect(error.message).toBe(message);
    expect(error.context).toMatchObject({ variable: 'MCP_SERVERS' });
  });

  it('refuses a single server object, asking for an array', () => {
    // zod names the received type by its constructor when the object comes from another
    // realm, as it does when jest runs this file in band: "Object" there, "object" in workers.
    expect(configError('{"name":"a","command":"a"}').message).toMatch(/^MCP_SERVERS: Invalid input: expected array, received object$/i);
  });

  it('says when the value is neither JSON nor a readable file', () => {
    expect(configError('[{"name":').message).toMatch(/^MCP_SERVERS: not valid JSON \(/);
    expect(configError('/nowhere/mcp.json').message).toBe(
      'MCP_SERVERS: expected a JSON array or the path of a JSON file; cannot read "/nowhere/mcp.json" (ENOENT)',
    );
  });
});
