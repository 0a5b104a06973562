import { extname } from 'node:path';
import { z } from 'zod';
import { ToolError } from '../core/errors';
import { byteSize, textFile } from '../core/model/outbound-file';
import { defineTool } from './define-tool';

/** The most characters one file may hold: far beyond any answer, well within every platform's upload limit. */
export const MAX_SEND_FILE_CHARS = 500_000;

/** Media types by extension; anything else is plain text. */
const MEDIA_TYPES: Record<string, string> = {
  '.csv': 'text/csv',
  '.json': 'application/json',
  '.md': 'text/markdown',
  '.patch': 'text/x-diff',
  '.diff': 'text/x-diff',
  '.yaml': 'application/yaml',
  '.yml': 'application/yaml',
  '.html': 'text/html',
};

/** The size a file of `content` has once encoded, as people read it. */
function sizeOf(content: string): string {
  return byteSize(Buffer.byteLength(content, 'utf8'));
}

/**
 * `send_file`: the model sends an answer meant as a file (a CSV, a patch) into the thread.
 * It is not read-only, so it never runs by policy alone: the card names the file and its
 * size. The platform is reached through the tool context's port, paced like every post.
 */
export const sendFileTool = defineTool({
  name: 'send_file',
  description: 'Sends one text file into this thread, e.g. a CSV, a patch or a long report, when the answer is meant as a file. A person approves it first.',
  input: z.object({
    name: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[^/\\:]+$/, 'a file name, without folders')
      .describe('The file name with its extension, e.g. "incidents.csv"'),
    content: z.string().min(1).max(MAX_SEND_FILE_CHARS).describe('The whole text of the file'),
    comment: z.string().max(200).optional().describe('One line said with the file; default its name and size'),
  }),
  preview: ({ name, content }) => `sends the file ${name} (${sizeOf(content)}) into this thread`,
  async execute({ name, content, comment }, ctx) {
    const { platform } = ctx;
    if (!platform.uploadFile) throw new ToolError('files_unsupported', `Files cannot be sent on ${platform.platform}.`, { platform: platform.platform });
    const line = comment?.replace(/\s+/g, ' ').trim() || `${name} (${sizeOf(content)})`;
    await platform.uploadFile(ctx.where, textFile(name, content, line, MEDIA_TYPES[extname(name).toLowerCase()] ?? 'text/plain'));
    return { text: `Sent ${name} (${sizeOf(content)}) into the thread.` };
  },
});
