import { z } from 'zod';
import type { Tool } from '../../src/core/ports/tools';
import { defineTool } from '../../src/tools/define-tool';

/** A gated tool (`ring_bell`, no arguments) that counts its runs, for tests that show something ran exactly once. */
export function bellTool(): { readonly tool: Tool; rings(): number } {
  let rung = 0;
  const tool = defineTool({
    name: 'ring_bell',
    description: 'Rings the office bell',
    input: z.object({}),
    execute: async () => {
      rung += 1;
      return { text: 'The bell rang.' };
    },
  });
  return { tool, rings: () => rung };
}
