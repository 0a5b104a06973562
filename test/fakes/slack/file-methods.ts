/**
 * Files on the fake Slack, as web-api's files.uploadV2 reaches them
 * (https://docs.slack.dev/messaging/working-with-files#upload): files.getUploadURLExternal
 * hands out an upload URL on this fake's own server, the bytes are POSTed there, and
 * files.completeUploadExternal shares what was uploaded in a channel or thread.
 */
import type { Answer, Params } from './web-api-methods';

/** A file shared in a channel: what a person would open. */
export interface FakeSharedFile {
  readonly id: string;
  readonly name: string;
  readonly title: string;
  readonly channel: string;
  /** The thread it was shared in; undefined at channel level. */
  readonly threadTs: string | undefined;
  readonly data: Buffer;
  /** The bytes as UTF-8 text. */
  readonly text: string;
}

/** What the fake keeps of files: uploads under way by id, and files shared, in order (a live array). */
export class FakeFiles {
  readonly shared: FakeSharedFile[] = [];
  private readonly uploads = new Map<string, { filename: string; length: number; data: Buffer | null }>();
  private next = 0;

  constructor(private readonly baseUrl: () => string) {}

  /** The Web API methods, by name. */
  handlers(): Record<string, (params: Params) => Answer> {
    return {
      'files.getUploadURLExternal': (params) => this.uploadUrl(params),
      'files.completeUploadExternal': (params) => this.complete(params),
    };
  }

  /** The bytes POSTed to an upload URL (`/upload/<file id>`); false when the URL was never handed out. */
  receive(fileId: string, data: Buffer): boolean {
    const upload = this.uploads.get(fileId);
    if (!upload) return false;
    upload.data = data;
    return true;
  }

  private uploadUrl(params: Params): Answer {
    const length = Number(params.length);
    if (typeof params.filename !== 'string' || params.filename === '' || !Number.isInteger(length) || length < 1) return { ok: false, error: 'invalid_arguments' };
    const id = `F${String((this.next += 1)).padStart(8, '0')}`;
    this.uploads.set(id, { filename: params.filename, length, data: null });
    return { ok: true, upload_url: `${this.baseUrl()}/upload/${id}`, file_id: id };
  }

  private complete(params: Params): Answer {
    const files = Array.isArray(params.files) ? (params.files as { id?: string; title?: string }[]) : [];
    if (files.length === 0 || typeof params.channel_id !== 'string') return { ok: false, error: 'invalid_arguments' };
    const ready = files.map((f) => ({ file: f, upload: this.uploads.get(String(f.id)) }));
    // Slack completes only what was uploaded in full, with the length announced.
    if (ready.some(({ upload }) => !upload?.data || upload.data.length !== upload.length)) return { ok: false, error: 'file_not_found' };
    const threadTs = typeof params.thread_ts === 'string' ? params.thread_ts : undefined;
    const shared = ready.map(({ file, upload }) => {
      const data = upload!.data!;
      const record = { id: String(file.id), name: upload!.filename, title: file.title ?? upload!.filename, channel: params.channel_id as string, threadTs, data, text: data.toString('utf8') };
      this.uploads.delete(record.id);
      this.shared.push(record);
      return record;
    });
    return { ok: true, files: shared.map((f) => ({ id: f.id, name: f.name, title: f.title, size: f.data.length })) };
  }
}
