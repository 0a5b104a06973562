import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openToOthers } from '../../../src/db/open-to-others';

let root: string;
beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'sb-dir-'))));
afterEach(() => rmSync(root, { recursive: true, force: true }));

const modeOf = (dir: string): number => statSync(dir).mode & 0o7777;

test('a shared parent keeps its sticky, world-writable mode (as /tmp)', () => {
  chmodSync(root, 0o1777);
  openToOthers(root);
  expect(modeOf(root)).toBe(0o1777);
});

test('a private folder is opened to others for reading and searching, and one missing is made', () => {
  chmodSync(root, 0o700);
  openToOthers(root);
  expect(modeOf(root)).toBe(0o755);
  openToOthers(join(root, 'new', 'data'));
  expect(modeOf(join(root, 'new', 'data')) & 0o755).toBe(0o755);
});
