/**
 * Files on a person's message through the real core over the memory stores, with a platform
 * that records each download: they are read by the turn that answers the message (again by a
 * turn taken over after a crash), never for a message without files, and an image is only
 * named when the model does not read images.
 */
import type { Attachment } from '../../src/core/model/attachment';
import type { FetchedFile } from '../../src/core/ports/chat-platform';
import { z } from 'zod';
import { defineTool } from '../../src/tools/define-tool';
import { chatAnswer, startFakeOpenAi, toolAnswer, type FakeOpenAi } from '../fakes/fake-openai';
import { eventually } from '../support/eventually';
import { buildMemoryCore } from '../support/memory-core';
import { RecordingPlatform } from '../support/recording-platform';
import { TINY_PNG } from '../support/test-files';
import { alice, AUTO_RUN, newThread } from './core-kit';

/** A platform whose messages carry files: it serves their bodies by id and records each download. */
class FilePlatform extends RecordingPlatform {
  readonly downloads: string[] = [];
  readonly bodies = new Map<string, Uint8Array>();

  async fetchFile(file: Attachment, maxBytes: number): Promise<FetchedFile> {
    this.downloads.push(file.id);
    const bytes = this.bodies.get(file.id) ?? new Uint8Array();
    return { bytes: bytes.subarray(0, maxBytes), cut: bytes.byteLength > maxBytes };
  }
}

const png: Attachment = { id: 'F_PNG', name: 'screenshot.png', type: 'image/png', size: TINY_PNG.byteLength, handle: 'https://files.example/F_PNG' };
const notes: Attachment = { id: 'F_TXT', name: 'notes.md', type: '', size: 17, handle: 'https://files.example/F_TXT' };

let llm: FakeOpenAi;
beforeAll(async () => {
  llm = await startFakeOpenAi();
});
afterAll(() => llm.close());

/** A read-only tool, so a run goes on to its next model turn without a decision. */
const lookUpTool = defineTool({ name: 'look_up', description: 'Looks a word up', input: z.object({ word: z.string() }), readOnly: true, execute: async ({ word }) => ({ text: `${word}: found` }) });

function setup(vision: boolean) {
  const platform = new FilePlatform('slack');
  platform.bodies.set(png.id, TINY_PNG);
  platform.bodies.set(notes.id, Buffer.from('# the plan: ship!'));
  const harness = buildMemoryCore({ platforms: [platform], openAiBaseUrl: llm.baseUrl, tools: [lookUpTool], settings: { files: { vision }, autoRun: AUTO_RUN } });
  return { ...harness, platform, where: newThread() };
}

const requestFor = (words: string) =>
  eventually(() => {
    const found = llm.requestsFor('chat').find((r) => r.prompt.includes(words));
    if (!found) throw new Error(`no model request for "${words}" yet`);
    return found;
  });

test('a message without files makes no download; one with files is read by its turn, a text file by its extension', async () => {
  const s = setup(true);

  await s.core.handleMessage({ where: s.where, messageId: '1.1', author: alice, text: 'no files here' });
  expect(s.platform.downloads).toEqual([]);
  await s.core.handleMessage({ where: s.where, messageId: '1.2', author: alice, text: 'see the plan', attachments: [notes] });

  expect(s.platform.downloads).toEqual([notes.id]);
  expect((await requestFor('see the plan')).prompt).toContain('```\n# the plan: ship!\n```');
});

test('with MODEL_VISION off an image is named as attached and not shown, and never downloaded', async () => {
  const s = setup(false);

  await s.core.handleMessage({ where: s.where, messageId: '2.1', author: alice, text: 'what is this?', attachments: [png] });

  const request = await requestFor('what is this?');
  expect(request.prompt).toContain(`[An image was attached and not shown: "screenshot.png" (image/png, ${TINY_PNG.byteLength} B). This model is not set up to read images.]`);
  expect(request.body.messages.some((m) => m.parts)).toBe(false);
  expect(s.platform.downloads).toEqual([]);
});

test('a turn another process stored and never answered downloads its files again when it is taken over', async () => {
  const s = setup(true);
  // What the dead process left: the message and its file list, stored before the ack, and no answer.
  await s.stores.messages.appendTurn(
    { where: s.where, platformMessageId: '3.1', author: alice, role: 'user', type: 'text', text: 'read it after the crash', metadata: { attachments: [notes] }, traceId: 't-3' },
    20,
  );
  s.clock.advance(60_000);

  expect(await s.core.recoverTurns()).toBe(1);

  expect((await requestFor('read it after the crash')).prompt).toContain('# the plan: ship!');
  expect(s.platform.downloads).toEqual([notes.id]);
});

test("every model turn of a run the message started reads its files again: the run's later turns see them too", async () => {
  const s = setup(true);
  llm.script('chat', toolAnswer([{ name: 'look_up', args: { word: 'ship' } }]), chatAnswer('Shipped.'));

  await s.core.handleMessage({ where: s.where, messageId: '4.1', author: alice, text: 'check the plan', attachments: [notes] });
  await s.queue.drain();

  const turns = llm.requestsFor('chat').filter((r) => r.prompt.includes('check the plan'));
  expect(turns).toHaveLength(2);
  expect(turns[1]!.body.messages.some((m) => m.role === 'tool')).toBe(true);
  expect(turns.map((r) => r.prompt.includes('```\n# the plan: ship!\n```'))).toEqual([true, true]);
  expect(s.platform.downloads).toEqual([notes.id, notes.id]);
});
