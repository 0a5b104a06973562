import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { defineTool } from './define-tool';

/**
 * Counts down with one progress step per tick. Demos and acceptance checks use it by
 * name, so its name and arguments are fixed.
 */
export const countdownTool = defineTool({
  name: 'countdown',
  description: 'Counts down from `steps` to zero, one progress step per tick, waiting `delayMs` between ticks.',
  input: z.object({
    steps: z.number().int().min(1).max(20),
    delayMs: z.number().int().min(0).max(5000).default(1000),
  }),
  readOnly: true,
  idempotent: true,
  preview: ({ steps, delayMs }) => `counts down ${steps} steps, ${delayMs} ms apart; touches nothing`,
  async execute({ steps, delayMs }, ctx) {
    for (let left = steps; left > 0; left--) {
      ctx.signal.throwIfAborted();
      const step = ctx.step(`${left}…`);
      await sleep(delayMs, undefined, { signal: ctx.signal });
      step.done();
    }
    return { text: `Lift-off after ${steps} steps.` };
  },
});
