import type { Attachment } from '../../core/model/attachment';

/** The fields of a file on a Slack message event the adapter reads. */
export interface SlackFile {
  readonly id?: unknown;
  readonly name?: unknown;
  readonly mimetype?: unknown;
  readonly size?: unknown;
  readonly url_private_download?: unknown;
  readonly url_private?: unknown;
}

/** Where Slack serves the files people post: downloads go to this origin only (with the bot token). */
export const SLACK_FILE_ORIGIN = 'https://files.slack.com';

/**
 * A message event's `files[]` as attachments. A file without an id or a download URL (a
 * tombstone, a file hidden by the plan's limit, an external file) is left out: there is
 * nothing to read. Events are JSON from outside, so each field's kind is checked.
 */
export function slackAttachments(files: unknown): Attachment[] {
  if (!Array.isArray(files)) return [];
  return files.flatMap((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) return [];
    const file = entry as SlackFile;
    const handle = str(file.url_private_download) || str(file.url_private);
    const id = str(file.id);
    if (!handle || !id) return [];
    const size = typeof file.size === 'number' && Number.isSafeInteger(file.size) && file.size >= 0 ? file.size : 0;
    return [{ id, name: str(file.name) || id, type: str(file.mimetype), size, handle }];
  });
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
