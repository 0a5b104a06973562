import type { CallToolResult, ContentBlock } from '@modelcontextprotocol/sdk/types.js';

/**
 * A tool result as the action's output text: text parts joined, a short note for each
 * part a chat message cannot show, and the structured content when that is all there is.
 */
export function resultText(result: CallToolResult): string {
  const parts = result.content.map(partText);
  if (parts.length === 0 && result.structuredContent !== undefined) return JSON.stringify(result.structuredContent);
  return parts.join('\n');
}

function partText(part: ContentBlock): string {
  switch (part.type) {
    case 'text':
      return part.text;
    case 'image':
      return `[image omitted: ${part.mimeType}]`;
    case 'audio':
      return `[audio omitted: ${part.mimeType}]`;
    case 'resource_link':
      return `[resource: ${part.uri}]`;
    case 'resource':
      return 'text' in part.resource ? part.resource.text : `[binary resource omitted: ${part.resource.uri}]`;
  }
}
