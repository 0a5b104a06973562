import { chmodSync, mkdirSync, statSync } from 'node:fs';

/**
 * Makes `dir` (created if missing) readable and searchable by everyone: initdb runs as the
 * `postgres` OS user when we are root, and must reach the folder. Bits are only added, so a
 * shared parent such as /tmp keeps its sticky, world-writable 1777.
 */
export function openToOthers(dir: string): void {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, statSync(dir).mode | 0o755);
}
