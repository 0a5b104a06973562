/** File bodies for the files-in tests: a real PNG, a log of a known length, and where each part of it sits. */

/** A 1×1 transparent PNG. */
export const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/** A log `chars` long, in numbered lines, with `marker` starting at character `markerAt`: what the model must not see past the cap. */
export function logText(chars: number, marker: string, markerAt: number): string {
  let text = '';
  for (let line = 1; text.length < chars; line += 1) text += `${String(line).padStart(5, '0')} INFO request served in 12 ms\n`;
  return `${text.slice(0, markerAt)}${marker}${text.slice(markerAt + marker.length, chars)}`;
}

/** 50 MB: far past any cap, so a download that is not stopped shows in the bytes served. */
export const HUGE_FILE_BYTES = 50_000_000;
