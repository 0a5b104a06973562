import type { CallToolResult, ContentBlock } from '@modelcontextprotocol/sdk/types.js';
import { byteSize, type OutboundFile } from '../core/model/outbound-file';

/** The largest binary part sent on as a file: within Discord's 10 MB upload limit. */
export const MAX_RESULT_FILE_BYTES = 8 * 1024 * 1024;

/** File extensions of the media types MCP servers commonly return. */
const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/svg+xml': 'svg',
  'application/pdf': 'pdf',
  'application/zip': 'zip',
};

/**
 * The binary parts of an MCP result (images, resources with a blob) as files for the thread,
 * each with one line naming the tool. A chat message cannot show them (call-result.ts notes
 * them in the text); a part over {@link MAX_RESULT_FILE_BYTES} stays a note only.
 */
export function resultFiles(tool: string, result: CallToolResult): OutboundFile[] {
  return result.content.flatMap((part, i) => {
    const binary = binaryOf(part);
    if (!binary) return [];
    const data = Buffer.from(binary.base64, 'base64');
    if (data.length === 0 || data.length > MAX_RESULT_FILE_BYTES) return [];
    const name = binary.name ?? `${tool}-${i + 1}.${EXTENSIONS[binary.mimeType] ?? 'bin'}`;
    return [{ name, data, mimeType: binary.mimeType, comment: `${tool} returned ${name} (${byteSize(data.length)}).` }];
  });
}

function binaryOf(part: ContentBlock): { base64: string; mimeType: string; name?: string } | null {
  if (part.type === 'image') return { base64: part.data, mimeType: part.mimeType };
  if (part.type === 'resource' && 'blob' in part.resource) {
    const last = new URL(part.resource.uri, 'resource:/').pathname.split('/').pop();
    const mimeType = part.resource.mimeType ?? 'application/octet-stream';
    return { base64: part.resource.blob, mimeType, ...(last && /^[\w.-]+\.\w+$/.test(last) && { name: last }) };
  }
  return null;
}
