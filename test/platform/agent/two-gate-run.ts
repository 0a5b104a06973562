/**
 * The two-gate run the platform tests drive through Slack and Discord: the model reads a
 * service's health with a read-only tool (the policy gate lets it run at once), then asks to
 * drop a table (the approval gate: a card), then answers with what only the read returned.
 */
import type { Tool } from '../../../src/core/ports/tools';
import { chatAnswer, toolAnswer, type FakeAnswer, type RecordedCompletion } from '../../fakes/fake-openai';
import { readStatusTool } from '../../integration/agent/agent-kit';

export { dropTableTool, executed } from '../../integration/agent/agent-kit';

/** What only the read-only tool knows: the final answer must carry it. */
export const HEALTH = 'down since 09:14 (token 7f3a)';
export const ASK = 'if the cache is down, drop its table';
export const FINAL_ANSWER = `The cache was ${HEALTH}, so I dropped its table.`;
/** Lets read-only tools run without a card. */
export const AUTO_RUN_READ_ONLY = { autoRun: { readOnlyEverywhere: true, rules: [] } };

/** The read-only tool of this run: a service's health, which only it knows. */
export const readHealthTool: Tool = readStatusTool(() => HEALTH);

/** The model's side: read first; with the health read, ask to drop; with the drop done, answer. */
export function twoGateModel(request: RecordedCompletion): FakeAnswer {
  const last = request.body.messages.at(-1);
  if (last?.role === 'tool' && last.content?.includes(HEALTH)) return toolAnswer([{ id: 'call_drop', name: 'drop_table', args: { table: 'cache' } }], 'Dropping the stale cache table.');
  if (last?.role === 'tool' && last.content === 'dropped cache') return chatAnswer(FINAL_ANSWER);
  if (last?.content?.includes(ASK)) return toolAnswer([{ id: 'call_read', name: 'read_status', args: { service: 'cache' } }]);
  return chatAnswer('ok');
}
