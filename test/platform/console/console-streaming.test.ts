/**
 * Answers shown as the model writes them, through the real console adapter, the real core,
 * Postgres and the fake model streaming server-sent events.
 */
import { PassThrough, Writable } from 'node:stream';
import { ConsoleAdapter } from '../../../src/adapters/console/console-adapter';
import { FEEDBACK_HINT } from '../../../src/adapters/console/console-renderer';
import { buildCore } from '../../support/core-harness';
import { rows } from '../../support/db-rows';
import { eventually } from '../../support/eventually';
import { useDatabaseAndModel } from '../../support/database-and-model';

const services = useDatabaseAndModel();

/** What the terminal received: each write, in order. */
interface Write {
  readonly text: string;
  readonly at: number;
}

/** Types `lines` into a console chat over the real core; resolves with every write to the terminal once all is handled. */
function chat(lines: string[], options: { interactive?: boolean } = {}): Promise<Write[]> & { writes: Write[] } {
  const writes: Write[] = [];
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      writes.push({ text: chunk.toString(), at: Date.now() });
      done();
    },
  });
  const input = new PassThrough();
  const adapter = new ConsoleAdapter({ input, output, user: { id: 'ann', name: 'Ann' }, interactive: options.interactive ?? false });
  const harness = buildCore({ db: services.db, platforms: [adapter], openAiBaseUrl: services.llm.baseUrl });
  input.end(lines.map((l) => `${l}\n`).join(''));
  const done = (async () => {
    await adapter.run(harness.core);
    await harness.queue.drain();
    return writes;
  })();
  return Object.assign(done, { writes });
}

/** 50 pieces of one sentence each: `Piece 0. Piece 1. …`. */
const PIECES = Array.from({ length: 50 }, (_, i) => `Piece ${i}. `);
const WHOLE = PIECES.join('');

describe('console streaming', () => {
  it('prints a slow answer in order as it arrives, and stores it once, whole', async () => {
    services.llm.script('chat', { content: WHOLE, chunks: PIECES, chunkDelayMs: 20 });

    const writes = await chat(['tell me a long story']);

    const answerWrites = writes.slice(writes.findIndex((w) => w.text.startsWith('Piece 0.')));
    // The model's answer ends with the hint to rate it, as a posted one does.
    expect(answerWrites.map((w) => w.text).join('')).toContain(`${WHOLE}\n${FEEDBACK_HINT}\n`);
    // Shown in several writes, the first while the model was still writing.
    expect(answerWrites.filter((w) => w.text.includes('Piece')).length).toBeGreaterThan(1);
    expect(answerWrites[0]!.at).toBeLessThan(services.llm.requestsFor('chat').at(-1)!.answeredAt!);
    const stored = await rows<{ text: string; metadata: Record<string, unknown> }>(services.db.orm, `select text, metadata from message where role = 'assistant' and text like 'Piece 0.%'`);
    expect(stored).toEqual([{ text: WHOLE.trim(), metadata: { feedback: true } }]);
  });

  it('holds back a partial answer\'s closing line breaks, since a line break ends a message on the console', async () => {
    const paragraphs = ['First paragraph.\n\n', 'Second paragraph.\n\n', 'The end.'];
    // Slower than the answer's buffer, so each paragraph is shown on its own.
    services.llm.script('chat', { content: paragraphs.join(''), chunks: paragraphs, chunkDelayMs: 400 });

    const writes = (await chat(['two paragraphs, please'])).map((w) => w.text);

    const answer = writes.slice(writes.findIndex((w) => w.startsWith('First paragraph.')));
    expect(answer.length).toBeGreaterThan(1);
    expect(answer.slice(0, -1).filter((w) => w.endsWith('\n'))).toEqual([]);
    expect(answer.join('')).toBe(`${paragraphs.join('')}\n${FEEDBACK_HINT}\n`);
  });

  it('prints a fast answer in one write', async () => {
    services.llm.script('chat', { content: 'Quick one.' });

    const writes = await chat(['quick?']);

    expect(writes.filter((w) => w.text.includes('Quick one.'))).toEqual([expect.objectContaining({ text: `Quick one.\n${FEEDBACK_HINT}\n` })]);
  });

  it('ends an answer cut short by the model with a note, and stores the part shown marked partial', async () => {
    services.llm.script('chat', { content: WHOLE, chunks: PIECES, chunkDelayMs: 20, dropAfterChunks: 25 });

    const shown = (await chat(['start, then fail'])).map((w) => w.text).join('');

    const [stored] = await rows<{ text: string; metadata: Record<string, unknown> }>(services.db.orm, `select text, metadata from message where role = 'assistant' and text like 'Piece 0.%' order by created_at desc limit 1`);
    // What the model got out before the connection died (the last pieces written may not arrive).
    expect(stored!.metadata).toEqual({ partial: true });
    expect(PIECES.slice(0, 25).join('').startsWith(stored!.text)).toBe(true);
    expect(shown).toContain(`${stored!.text} \n\n⚠️ Cut short: `);
    expect(shown).not.toContain('Piece 25.');
  });

  it('shows a working line on an interactive terminal while the model is silent, and erases it before the answer', async () => {
    const release = services.llm.hold();
    services.llm.script('chat', { content: 'Thought about it.' });

    const chatting = chat(['think hard'], { interactive: true });
    // The model has not sent a byte yet: it is held until the line shows.
    await eventually(() => expect(chatting.writes.some((w) => w.text.includes('working'))).toBe(true));
    release();
    const writes = await chatting;

    const working = writes.findIndex((w) => w.text.includes('working'));
    const answer = writes.findIndex((w) => w.text.includes('Thought about it.'));
    expect(working).toBeGreaterThan(-1);
    expect(answer).toBeGreaterThan(working);
    expect(writes[answer - 1]!.text).toBe('\r\x1b[2K');
  });
});
