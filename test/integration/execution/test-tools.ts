import { setTimeout as sleep } from 'node:timers/promises';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { Tool } from '../../../src/core/ports/tools';
import { defineTool } from '../../../src/tools/define-tool';

/**
 * Where the test tools record what they really did, so that tests count executions
 * across processes: one row with step 0 per execution, one row per step started.
 */
export const TOOL_RUN_TABLE = `create table if not exists tool_run (
  id serial primary key, run_id uuid not null, tool text not null, pid int not null, step int not null,
  at timestamptz not null default clock_timestamp())`;

const input = z.object({
  steps: z.number().int().min(1).max(200),
  delayMs: z.number().int().min(0).max(5000).default(0),
});

function stepper(em: EntityManager, def: { name: string; idempotent: boolean; destructive: boolean }): Tool {
  const record = (runId: string, step: number) => em.getConnection().execute('insert into tool_run (run_id, tool, pid, step) values (?, ?, ?, ?)', [runId, def.name, process.pid, step], 'run');
  return defineTool({
    ...def,
    description: `Takes \`steps\` steps, \`delayMs\` apart, recording each in tool_run.`,
    input,
    async execute({ steps, delayMs }, ctx) {
      await record(ctx.runId, 0);
      for (let i = 1; i <= steps; i++) {
        ctx.signal.throwIfAborted();
        const step = ctx.step(`step ${i}`);
        await record(ctx.runId, i);
        if (delayMs) await sleep(delayMs, undefined, { signal: ctx.signal });
        step.done();
      }
      return { text: `${def.name} took ${steps} steps` };
    },
  });
}

/** `safe_steps` is idempotent; `deploy` is not; `wipe` is destructive. */
export function testTools(em: EntityManager): Tool[] {
  return [
    stepper(em, { name: 'safe_steps', idempotent: true, destructive: false }),
    stepper(em, { name: 'deploy', idempotent: false, destructive: false }),
    stepper(em, { name: 'wipe', idempotent: false, destructive: true }),
  ];
}
