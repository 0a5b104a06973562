/**
 * Files out on the console: the real console adapter writes a file the core sends under its
 * files folder and prints the path, and a name the model chose cannot leave that folder.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { CONSOLE_THREAD, ConsoleAdapter } from '../../../src/adapters/console/console-adapter';
import { textFile } from '../../../src/core/model/outbound-file';

function consoleWritingTo(filesDir: string): { adapter: ConsoleAdapter; printed: () => string } {
  const writes: string[] = [];
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      writes.push(chunk.toString());
      done();
    },
  });
  const adapter = new ConsoleAdapter({ input: new PassThrough(), output, user: { id: 'ann', name: 'Ann' }, filesDir });
  return { adapter, printed: () => writes.join('') };
}

describe('files on the console', () => {
  test('a file is written under the files folder, and its line and path are printed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'console-files-'));
    const { adapter, printed } = consoleWritingTo(dir);

    await adapter.uploadFile(CONSOLE_THREAD, textFile('report.csv', 'a,b\n1,2\n', 'Here is the report.'));

    const path = /\(file: (.+)\)/.exec(printed())![1]!;
    expect(printed()).toContain('Here is the report.');
    expect(dirname(path)).toBe(dir);
    expect(path.endsWith('-report.csv')).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('a,b\n1,2\n');
  });

  test('a name with folders in it keeps its last segment only, inside the files folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'console-files-'));
    const { adapter, printed } = consoleWritingTo(dir);

    await adapter.uploadFile(CONSOLE_THREAD, textFile('../../etc/..\\passwd', 'nope', 'A sneaky name.'));

    const path = /\(file: (.+)\)/.exec(printed())![1]!;
    expect(dirname(path)).toBe(dir);
    expect(readdirSync(dir)).toEqual([path.slice(dir.length + 1)]);
    expect(path.endsWith('-passwd')).toBe(true);
  });
});
