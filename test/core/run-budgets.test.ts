/**
 * A run's budgets through the real core over the memory stores: the tool-call limit and the
 * time limit each end tool use with one last turn without tools, whose answer names the
 * limit. Time is the stores' clock, moved by the tool as a long call would.
 */
import { z } from 'zod';
import { countdownTool } from '../../src/tools/countdown';
import { defineTool } from '../../src/tools/define-tool';
import { chatAnswer, startFakeOpenAi, toolAnswer, type FakeOpenAi, type RecordedCompletion } from '../fakes/fake-openai';
import { createMemoryStores } from '../support/memory-stores';
import { AUTO_RUN, coreSetup } from './core-kit';

let llm: FakeOpenAi;
beforeAll(async () => {
  llm = await startFakeOpenAi();
});
afterEach(() => llm.reset());
afterAll(() => llm.close());

/** Whether the model was offered tools on this call. */
const offeredTools = (request: RecordedCompletion) => (request.body.tools?.length ?? 0) > 0;

test('a model that keeps calling tools stops at the tool-call limit: one last turn without tools, whose answer names the limit', async () => {
  const s = coreSetup({ llm, tools: [countdownTool], settings: { autoRun: AUTO_RUN }, agent: { maxToolCalls: 2 } });
  let n = 0;
  llm.fallback((request) => (offeredTools(request) ? toolAnswer([{ name: 'countdown', args: { steps: 1, delayMs: ++n } }]) : chatAnswer('Here is where I got to.')));
  const before = llm.requests.length;

  await s.say('count forever');

  expect(llm.requests.slice(before).map(offeredTools)).toEqual([true, true, false]);
  expect(s.posted().at(-1)).toBe('Here is where I got to.\n\nI stopped using tools: this run reached its limit of 2 tool calls.');
  expect(await s.latestRun()).toMatchObject({ status: 'succeeded', errorCode: 'budget_tool_calls', toolCalls: 2, turns: 3 });
});

/** A run of a call that takes `minutes` of the stores' clock, in a run allowed five. */
async function slowCallRun(minutes: number) {
  const stores = createMemoryStores();
  const slowTool = defineTool({
    name: 'slow_report',
    description: 'Builds a report slowly',
    input: z.object({}),
    readOnly: true,
    execute: async () => {
      stores.clock.advance(minutes * 60_000);
      return { text: 'report ready' };
    },
  });
  const s = coreSetup({ llm, stores, tools: [slowTool], settings: { autoRun: AUTO_RUN }, agent: { maxRunMs: 5 * 60_000 } });
  llm.script('chat', toolAnswer([{ name: 'slow_report', args: {} }]), chatAnswer('The report is ready.'));
  const before = llm.requests.length;
  await s.say('build the report');
  return { ...s, modelCalls: llm.requests.slice(before) };
}

test('a run whose call outlasts its time limit gets one last turn without tools, whose answer names the limit', async () => {
  const s = await slowCallRun(6);
  expect(s.modelCalls.map(offeredTools)).toEqual([true, false]);
  expect(s.modelCalls.at(-1)!.body.messages.at(-2)).toMatchObject({ role: 'tool', content: 'report ready' });
  expect(s.posted().at(-1)).toBe('The report is ready.\n\nI stopped using tools: this run reached its time limit of 5 minutes.');
  expect(await s.latestRun()).toMatchObject({ status: 'succeeded', errorCode: 'budget_time' });
});

test('a run whose call ends within its time limit is offered tools again', async () => {
  const s = await slowCallRun(4);
  expect(s.modelCalls.map(offeredTools)).toEqual([true, true]);
  expect(s.posted().at(-1)).toBe('The report is ready.');
  expect(await s.latestRun()).toMatchObject({ status: 'succeeded', errorCode: null });
});
