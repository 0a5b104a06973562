import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { OutboundFile } from '../../core/model/outbound-file';

/** Where the console keeps the files the bot sends, unless told otherwise. */
export const CONSOLE_FILES_DIR = '.data/files';

/**
 * Writes `file` under `dir` as `<prefix>-<name>`, and returns its absolute path. The name is
 * the model's to choose: only its last path segment is used, so it cannot leave `dir`.
 */
export async function saveConsoleFile(dir: string, prefix: string, file: OutboundFile): Promise<string> {
  const safeName = basename(file.name.replace(/\\/g, '/')).replace(/^\.+/, '') || 'file';
  await mkdir(dir, { recursive: true });
  const path = resolve(join(dir, `${prefix}-${safeName}`));
  await writeFile(path, file.data);
  return path;
}
