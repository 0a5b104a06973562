/**
 * The two-gate run the platform tests drive through Slack and Discord: the model reads a
 * service's health with a read-only tool (the policy gate lets it run at once), then asks to
 * drop a table (the approval gate: a card), then answers with what only the read returned.
 */
import { z } from 'zod';
import type { Tool } from '../../../src/core/ports/tools';
import { defineTool } from '../../../src/tools/define-tool';
import { chatAnswer, toolAnswer, type FakeAnswer, type RecordedCompletion } from '../../fakes/fake-openai';

/** What only the read-only tool knows: the final answer must carry it. */
export const HEALTH = 'down since 09:14 (token 7f3a)';
export const ASK = 'if the cache is down, drop its table';
export const FINAL_ANSWER = `The cache was ${HEALTH}, so I dropped its table.`;
/** Lets read-only tools run without a card. */
export const AUTO_RUN_READ_ONLY = { autoRun: { readOnlyEverywhere: true, rules: [] } };

/** Every run of a tool of this script, in order: what really happened. */
export const executed: string[] = [];

export const readHealthTool: Tool = defineTool({
  name: 'read_health',
  description: "Reads a service's health",
  input: z.object({ service: z.string() }),
  readOnly: true,
  idempotent: true,
  execute: async ({ service }) => {
    executed.push(`read_health ${service}`);
    return { text: `${service}: ${HEALTH}` };
  },
});

export const dropTableTool: Tool = defineTool({
  name: 'drop_table',
  description: 'Drops a table',
  input: z.object({ table: z.string() }),
  destructive: true,
  execute: async ({ table }) => {
    executed.push(`drop_table ${table}`);
    return { text: `dropped ${table}` };
  },
});

/** The model's side: read first; with the health read, ask to drop; with the drop done, answer. */
export function twoGateModel(request: RecordedCompletion): FakeAnswer {
  const last = request.body.messages.at(-1);
  if (last?.role === 'tool' && last.content?.includes(HEALTH)) return toolAnswer([{ id: 'call_drop', name: 'drop_table', args: { table: 'cache' } }], 'Dropping the stale cache table.');
  if (last?.role === 'tool' && last.content === 'dropped cache') return chatAnswer(FINAL_ANSWER);
  if (last?.content?.includes(ASK)) return toolAnswer([{ id: 'call_read', name: 'read_health', args: { service: 'cache' } }]);
  return chatAnswer('ok');
}
