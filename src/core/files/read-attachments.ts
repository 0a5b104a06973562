import type { Logger } from '../../logging/logger';
import { PlatformError } from '../errors';
import type { Attachment } from '../model/attachment';
import type { ChatPlatform } from '../ports/chat-platform';
import { attachmentsOf } from '../model/attachment';
import type { StoredMessage } from '../model/message';
import type { CoreDeps, FileSettings } from '../core-deps';
import { fileSettings } from './file-settings';
import { fileKind, sniffImageType } from './file-kinds';
import { describedFile, nameOf, quotedFile, sizeText } from './quoted-file';

/** The longest a file's download may take: a stalled file host must not hold the turn. */
const FETCH_TIMEOUT_MS = 30_000;

/** UTF-8 takes at most 4 bytes a character: this many bytes always hold `textMaxChars` characters. */
const BYTES_PER_CHAR = 4;

/** What a message's files add to its turn in the prompt: notes and quoted text, and images as data URLs. */
export interface AttachedContent {
  /** Appended to the person's words: one block per file. */
  readonly text: string;
  /** `data:image/png;base64,…` URLs, each sent as an image part. */
  readonly images: readonly string[];
}

/** One file's share of {@link AttachedContent}. */
type FileShare = { readonly text: string; readonly image?: string };

/**
 * Reads the files on the message a turn answers, each within its cap, from the platform that
 * carried them (ChatPlatform.fetchFile: only its own hosts). Images go as image parts when the
 * model reads them, text files as quoted text marked as data; what cannot be read is named, with
 * why. A file that fails says so and never fails the turn.
 */
export async function readAttachments(platform: ChatPlatform, files: readonly Attachment[], settings: FileSettings, log: Logger, signal?: AbortSignal): Promise<AttachedContent> {
  const reader = new AttachmentReader(platform, settings, log, AbortSignal.any([...(signal ? [signal] : []), AbortSignal.timeout(FETCH_TIMEOUT_MS)]));
  const shares = await Promise.all(files.map((file) => reader.read(file)));
  return { text: shares.map((s) => s.text).join('\n\n'), images: shares.flatMap((s) => (s.image ? [s.image] : [])) };
}

/**
 * The files of `message` (a person's, that a turn or a run's step answers), read afresh each
 * time: their bytes are never stored. Null, with no call at all, for a message without files.
 */
export async function filesOf(deps: CoreDeps, message: StoredMessage, log: Logger, signal?: AbortSignal): Promise<AttachedContent | null> {
  const files = attachmentsOf(message.metadata);
  if (!files.length) return null;
  return readAttachments(deps.platforms.get(message.where.platform), files, fileSettings(deps.settings), log, signal);
}

class AttachmentReader {
  constructor(
    private readonly platform: ChatPlatform,
    private readonly settings: FileSettings,
    private readonly log: Logger,
    private readonly signal: AbortSignal,
  ) {}

  async read(file: Attachment): Promise<FileShare> {
    const kind = fileKind(file);
    try {
      if (kind === 'image') return await this.image(file);
      if (kind === 'text') return await this.text(file);
      return note(file, 'not read: I read images and text files only');
    } catch (err) {
      this.log.warn({ err, fileId: file.id, kind }, 'an attached file could not be read');
      return note(file, err instanceof PlatformError && err.code === 'foreign_file_host' ? "not read: it is not on the platform's own file hosts" : 'it could not be downloaded');
    }
  }

  private async image(file: Attachment): Promise<FileShare> {
    const { vision, imageMaxBytes } = this.settings;
    if (!vision) return { text: `[An image was attached and not shown: ${nameOf(file)} (${describedFile(file)}). This model is not set up to read images.]` };
    const tooLarge = note(file, `not shown: images over ${sizeText(imageMaxBytes)} are not read`);
    // The declared size spares a download that could only fail; the read's own cap holds whatever it says.
    if (file.size > imageMaxBytes) return tooLarge;
    const { bytes, cut } = await this.fetch(file, imageMaxBytes);
    if (cut) return tooLarge;
    const type = sniffImageType(bytes);
    if (!type) return note(file, 'not shown: its bytes are no png, jpeg, gif or webp image');
    return { text: `[Image ${nameOf(file)} attached: shown to you below.]`, image: `data:${type};base64,${Buffer.from(bytes).toString('base64')}` };
  }

  private async text(file: Attachment): Promise<FileShare> {
    const { textMaxChars } = this.settings;
    const { bytes, cut } = await this.fetch(file, textMaxChars * BYTES_PER_CHAR);
    const decoded = new TextDecoder().decode(bytes);
    if (decoded.includes('\u0000')) return note(file, 'not read: it is binary, not text');
    return { text: quotedFile(file, decoded, textMaxChars, cut) };
  }

  private fetch(file: Attachment, maxBytes: number) {
    if (!this.platform.fetchFile) throw new PlatformError('no_file_fetch', `${this.platform.platform} cannot download files`, { retryable: false });
    return this.platform.fetchFile(file, maxBytes, this.signal);
  }
}

/** A file named, with what became of it. */
function note(file: Attachment, what: string): FileShare {
  return { text: `[File ${nameOf(file)} (${describedFile(file)}) attached: ${what}.]` };
}
