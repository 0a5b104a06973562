import type { FileBody, FileHost, HostedFile } from '../file-host';

/** A file shared in Slack: hosted on the fake, and its `files[]` entry for a message event. */
export interface SharedSlackFile extends HostedFile {
  /** The entry as Slack puts it in a message event's `files`: id, name, mimetype, size, url_private(_download). */
  readonly entry: Record<string, unknown>;
}

/** What to share; `declaredSize` is the size the event claims (default: the body's true size); `token` the bot token its download needs. */
export interface ShareFileInput {
  readonly token: string;
  readonly name: string;
  readonly type: string;
  readonly body: FileBody;
  readonly declaredSize?: number;
}

let shared = 0;

/** Hosts the file under Slack's download path, served only with the bot's token, as files.slack.com does. */
export function shareFile(files: FileHost, input: ShareFileInput): SharedSlackFile {
  const id = `F${String((shared += 1)).padStart(8, '0')}`;
  const hosted = files.add(`/files-pri/T1-${id}/download/${encodeURIComponent(input.name)}`, input.body, { type: input.type, authorization: `Bearer ${input.token}` });
  const size = input.declaredSize ?? (input.body instanceof Uint8Array ? input.body.byteLength : input.body.size);
  const entry = { id, name: input.name, title: input.name, mimetype: input.type, filetype: input.name.split('.').at(-1), size, mode: 'hosted', url_private: hosted.url, url_private_download: hosted.url };
  return { ...hosted, entry };
}
