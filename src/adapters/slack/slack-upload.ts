import type { webApi } from '@slack/bolt';
import type { ThreadRef } from '../../core/model/conversation';
import type { OutboundFile } from '../../core/model/outbound-file';
import { callSlack } from './slack-errors';
import { CHANNEL_LEVEL } from './slack-where';

/**
 * Shares `file` in the thread, alone (its comment is the caller's to post): web-api's
 * files.uploadV2 asks files.getUploadURLExternal for a URL, sends the bytes there, then
 * files.completeUploadExternal shares the file (scope `files:write`).
 */
export async function uploadToThread(client: webApi.WebClient, where: ThreadRef, file: OutboundFile): Promise<void> {
  const { channel } = where;
  const destination = where.thread === CHANNEL_LEVEL ? { channel_id: channel } : { channel_id: channel, thread_ts: where.thread };
  await callSlack('files.uploadV2', { channel, file: file.name }, () =>
    client.filesUploadV2({ ...destination, file: Buffer.from(file.data), filename: file.name, title: file.name }),
  );
}
