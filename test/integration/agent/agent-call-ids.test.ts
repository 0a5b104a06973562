/**
 * Tool call ids from the model are not trusted to be unique: through the real openai client
 * and the fake model, every request after a turn with calls carries each call under an id of
 * its own, answered by exactly one tool message. A run's later turns are built from the rows
 * in Postgres, so these requests also show that the stored ids agree.
 */
import { chatAnswer, toolAnswer, type RecordedCompletion } from '../../fakes/fake-openai';
import { rows } from '../../support/db-rows';
import { useDatabaseAndModel } from '../../support/database-and-model';
import { agentSetup, readStatusTool } from './agent-kit';

const services = useDatabaseAndModel();
beforeEach(() => services.llm.reset());

const autoRun = { autoRun: { readOnlyEverywhere: true, rules: [] } };

/** The ids the request's assistant messages ask under, and the ids its tool messages answer, each in order. */
function idsIn(request: RecordedCompletion): { asked: string[]; answered: string[] } {
  const { messages } = request.body;
  return {
    asked: messages.flatMap((m) => (m.role === 'assistant' ? (m.tool_calls ?? []).map((c) => c.id) : [])),
    answered: messages.flatMap((m) => (m.role === 'tool' ? [m.tool_call_id!] : [])),
  };
}

/** Every id asked once, and answered exactly once. */
function expectEachAnsweredOnce(request: RecordedCompletion): void {
  const { asked, answered } = idsIn(request);
  expect(new Set(asked).size).toBe(asked.length);
  expect([...answered].sort()).toEqual([...asked].sort());
}

describe('tool call ids', () => {
  test('two calls sharing one id in one answer go back under ids of their own, each with its own result', async () => {
    const { say, calls, where } = agentSetup(services, { settings: autoRun, tools: [readStatusTool(() => 'fine')] });
    services.llm.script(
      'chat',
      toolAnswer([
        { id: 'call_dup', name: 'read_status', args: { service: 'staging' } },
        { id: 'call_dup', name: 'read_status', args: { service: 'production' } },
      ]),
      chatAnswer('Both are fine.'),
    );
    await say('are staging and production healthy?');
    const next = services.llm.requests.at(-1)!;
    expectEachAnsweredOnce(next);
    expect(idsIn(next).asked).toEqual(['call_dup', 'call_dup_2']);
    const results = next.body.messages.filter((m) => m.role === 'tool').map((m) => [m.tool_call_id, m.content]);
    expect(results).toEqual([
      ['call_dup', 'staging: fine'],
      ['call_dup_2', 'production: fine'],
    ]);
    expect((await calls()).map((c) => c.status)).toEqual(['succeeded', 'succeeded']);
    const stored = await rows<{ call_id: string }>(
      services.db.orm,
      `select k.call_id from tool_call k join agent_run x on x.id = k.run_id join conversation c on c.id = x.conversation_id where c.channel_id = '${where.channel}' order by k.position`,
    );
    expect(stored.map((r) => r.call_id)).toEqual(['call_dup', 'call_dup_2']);
  });

  test('calls sent with empty ids, turn after turn, never share an id in the transcript', async () => {
    const { say, runs } = agentSetup(services, { settings: autoRun, tools: [readStatusTool(() => 'fine')] });
    services.llm.script(
      'chat',
      toolAnswer([
        { id: '', name: 'read_status', args: { service: 'a' } },
        { id: '', name: 'read_status', args: { service: 'b' } },
      ]),
      toolAnswer([{ id: '', name: 'read_status', args: { service: 'c' } }]),
      chatAnswer('All three are fine.'),
    );
    const before = services.llm.requests.length;
    await say('check a, b and c');
    const [, second, third] = services.llm.requests.slice(before);
    expectEachAnsweredOnce(second!);
    expectEachAnsweredOnce(third!);
    expect(idsIn(third!).asked).toHaveLength(3);
    expect(await runs()).toMatchObject([{ status: 'succeeded', tool_calls: 3 }]);
  });

  test('remember calls sharing one id are answered once each when the model is asked for its words', async () => {
    const { say } = agentSetup(services);
    const fact = (key: string) => ({ facts: [{ contextType: 'preference', key, value: `Prefers ${key}`, confidence: 0.9 }] });
    services.llm.script(
      'chat',
      toolAnswer([
        { id: 'call_mem', name: 'remember', args: fact('short_answers') },
        { id: 'call_mem', name: 'remember', args: fact('british_spelling') },
      ]),
      chatAnswer('Noted both.'),
    );
    await say('keep answers short, and use British spelling');
    const followUp = services.llm.requests.at(-1)!;
    expectEachAnsweredOnce(followUp);
    expect(followUp.body.messages.filter((m) => m.role === 'tool').map((m) => [m.tool_call_id, m.content])).toEqual([
      ['call_mem', 'Remembered: short_answers.'],
      ['call_mem_2', 'Remembered: british_spelling.'],
    ]);
  });
});
