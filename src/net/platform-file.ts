import { PlatformError } from '../core/errors';
import type { Attachment } from '../core/model/attachment';
import type { FetchedFile } from '../core/ports/chat-platform';
import { fetchCapped, isOnOrigins } from './fetch-capped';

/** Where and how an adapter downloads the files people post. */
export interface FileHosts {
  /** The platform's own file origins (`https://files.slack.com`); any other is refused unfetched. */
  readonly origins: readonly string[];
  /** Sent with the request: a bot token goes to these origins only. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The bytes of a file on a person's message, for ChatPlatform.fetchFile: refused without a
 * request unless its handle is on the platform's own origins (a forged event could point the
 * bot, and its token, anywhere), then read as a stream up to `maxBytes`.
 * @throws PlatformError `foreign_file_host`, or `file_fetch_failed` for an answer other than 200 or a web page.
 */
export async function fetchPlatformFile(file: Attachment, hosts: FileHosts, maxBytes: number, signal?: AbortSignal): Promise<FetchedFile> {
  if (!isOnOrigins(file.handle, hosts.origins)) {
    throw new PlatformError('foreign_file_host', 'the file is not on one of the platform’s own file hosts; it was not fetched', { fileId: file.id, retryable: false });
  }
  const body = await fetchCapped(file.handle, { maxBytes, headers: hosts.headers, signal });
  if (body.status !== 200) {
    throw new PlatformError('file_fetch_failed', `the platform answered the file's download with HTTP ${body.status}`, { fileId: file.id, status: body.status });
  }
  // Slack answers a download its token may not make (no files:read) with its sign-in page, not an error.
  if (body.contentType === 'text/html' && !file.type.toLowerCase().startsWith('text/html')) {
    throw new PlatformError('file_fetch_failed', 'the platform answered the file’s download with a web page, not the file', { fileId: file.id, retryable: false });
  }
  return { bytes: body.bytes, cut: body.cut };
}

/** The origin of a configured API base (SLACK_API_URL, a Discord REST proxy), or none when unset. */
export function originsOf(apiUrl: string | undefined): string[] {
  return apiUrl ? [new URL(apiUrl).origin] : [];
}
