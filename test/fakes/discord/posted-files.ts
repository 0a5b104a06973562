import type { APIAttachment } from 'discord.js';
import type { FileBody, FileHost, HostedFile } from '../file-host';

/** A file a person attached on Discord: hosted on the fake, and the attachment object for their message. */
export interface PostedDiscordFile extends HostedFile {
  readonly attachment: APIAttachment;
}

/** What to attach; `declaredSize` is the size the message claims (default: the body's true size). */
export interface AttachFileInput {
  readonly id: string;
  readonly channelId: string;
  readonly name: string;
  readonly type: string;
  readonly body: FileBody;
  readonly declaredSize?: number;
}

/** Hosts the file under the CDN's path on this fake's own origin, as cdn.discordapp.com serves attachments (no token: the URL is signed). */
export function attachFile(files: FileHost, input: AttachFileInput): PostedDiscordFile {
  const hosted = files.add(`/attachments/${input.channelId}/${input.id}/${encodeURIComponent(input.name)}`, input.body, { type: input.type });
  const size = input.declaredSize ?? (input.body instanceof Uint8Array ? input.body.byteLength : input.body.size);
  const attachment: APIAttachment = { id: input.id, filename: input.name, content_type: input.type, size, url: hosted.url, proxy_url: hosted.url };
  return { ...hosted, attachment };
}
