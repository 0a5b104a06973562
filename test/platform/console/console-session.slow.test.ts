import { consoleSession } from '../../support/console-session';
import { rows } from '../../support/db-rows';
import { chatAnswer } from '../../fakes/fake-openai';
import { useDatabaseAndModel } from '../../support/database-and-model';

const services = useDatabaseAndModel();

const session = (lines: string[], env: NodeJS.ProcessEnv = {}) => consoleSession(services.db.url, lines, env);

describe('console session', () => {
  it('runs !run countdown from card to approval to progress and result', async () => {
    const shown = await session(['!run countdown {"steps":3,"delayMs":50}', 'a']);
    expect(shown).toContain('REQUEST NEEDS APPROVAL');
    expect(shown).toContain('[a] Approve');
    expect(shown).toMatch(/↳ 3… ✓[\s\S]*↳ 1… ✓/);
    expect(shown).toContain('✅ Done: Run countdown\nLift-off after 3 steps.');
    const [run] = await rows<{ status: string }>(services.db.orm, `select status from agent_run order by created_at desc limit 1`);
    expect(run!.status).toBe('succeeded');
  });

  it('keeps working across restarts on the same database: a second run stores and posts its own messages', async () => {
    const results = () => rows<{ n: string }>(services.db.orm, `select count(*) as n from message where message_type = 'agent_result'`);
    const before = Number((await results())[0]!.n);
    for (const run of [1, 2]) {
      const shown = await session(['!run countdown {"steps":1,"delayMs":0}', 'a']);
      expect(shown).not.toContain('Something went wrong');
      expect(shown).toContain('✅ Done: Run countdown');
      expect(Number((await results())[0]!.n)).toBe(before + run);
    }
  });

  it('lists the commands and tools on /help and answers /context', async () => {
    const shown = await session(['/help', '/context']);
    expect(shown).toContain('!run <tool> <json-args>');
    expect(shown).toMatch(/countdown \(read-only\) \[built-in\]/);
    expect(shown).toContain('(only you) I remember nothing about this channel yet.');
  });

  it('explains how to configure a model when none is set', async () => {
    const shown = await session(['hello bot']);
    expect(shown).toContain('No language model is configured');
  });

  it('chats through the configured model', async () => {
    services.llm.script('chat', chatAnswer('Hi from the model'));
    const shown = await session(['hello model'], { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: services.llm.baseUrl });
    expect(shown).toContain('Hi from the model');
    expect(services.llm.requestsFor('chat').at(-1)!.prompt).toContain('hello model');
  });

  it('stores a rating when + is typed after an answer, and a - typed next replaces it', async () => {
    services.llm.script('chat', chatAnswer('Rate me, please.'));
    const shown = await session(['rate this', '+', '-'], { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: services.llm.baseUrl });

    expect(shown).toContain('Rate me, please.\n(type + or - to rate this answer)');
    expect(shown).toContain('(only you) Thanks for the 👍.');
    const stored = await rows<{ text: string; user_id: string; rating: string }>(
      services.db.orm,
      `select m.text, f.user_id, f.rating from answer_feedback f join message m on m.id = f.message_id where m.text = 'Rate me, please.'`,
    );
    expect(stored).toEqual([{ text: 'Rate me, please.', user_id: expect.any(String), rating: 'negative' }]);
  });
});
