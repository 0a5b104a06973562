import { z } from 'zod';
import { setting, type Section } from '../setting';

/** MCP servers as tool sources. At the Config's top level; the mcp module validates the list's shape. */
export const mcpSettings = {
  mcpServersJson: setting('MCP_SERVERS', z.string().optional(), {
    doc: 'MCP servers whose tools the agent may use: a JSON array, or the path of a JSON file holding it (docs/mcp.md)',
  }),
} satisfies Section;
