import type { CoreSettings, FileSettings } from '../core-deps';

/** Defaults: no vision, images up to 5 MB, 20,000 characters of a text file. */
export const DEFAULT_FILE_SETTINGS: FileSettings = { vision: false, imageMaxBytes: 5_000_000, textMaxChars: 20_000 };

/** The file settings in force, defaults filled in. */
export function fileSettings(settings: CoreSettings): FileSettings {
  return { ...DEFAULT_FILE_SETTINGS, ...settings.files };
}
