import { z } from 'zod';

/**
 * A file on a person's message, as the platform described it. The bytes are never stored:
 * `handle` is what the adapter fetches them by again (Slack's `url_private_download`, a
 * Discord attachment URL), each time a turn reads the message (docs/security.md#files).
 */
export const attachmentSchema = z.object({
  /** The file name as shown, e.g. `build.log`. */
  name: z.string(),
  /** Its media type as the platform gave it (`image/png`); empty when it gave none. */
  type: z.string(),
  /** Its size in bytes as the platform declared it; the fetch enforces the cap whatever this says. */
  size: z.number().int().min(0),
  /** The platform's id for the file. */
  id: z.string(),
  /** Where the adapter fetches the bytes: a URL on the platform's own file hosts. */
  handle: z.string(),
});

/** A file on a person's message: name, type, size, platform id and fetch handle. */
export type Attachment = z.infer<typeof attachmentSchema>;

/** The attachments a stored message's metadata lists (none for most messages). */
export function attachmentsOf(metadata: Record<string, unknown>): Attachment[] {
  if (metadata.attachments === undefined) return [];
  const parsed = z.array(attachmentSchema).safeParse(metadata.attachments);
  return parsed.success ? parsed.data : [];
}
