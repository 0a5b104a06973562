import type { Attachment } from '../model/attachment';

/** How a file reaches the model: as an image part, as quoted text, or only named. */
export type FileKind = 'image' | 'text' | 'other';

/** The image types models read (OpenAI's vision input, and most OpenAI-compatible servers). */
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** Text that platforms label `application/…`. */
const TEXT_TYPES = new Set([
  'application/json', 'application/x-ndjson', 'application/yaml', 'application/x-yaml', 'application/xml', 'application/toml',
  'application/javascript', 'application/typescript', 'application/x-sh', 'application/sql', 'application/x-httpd-php',
]);

/** Source and data files by extension: platforms often label them `application/octet-stream`, or not at all. */
const TEXT_EXTENSIONS = new Set([
  'txt', 'log', 'md', 'json', 'ndjson', 'csv', 'tsv', 'yaml', 'yml', 'toml', 'ini', 'cfg', 'conf', 'env', 'xml', 'html', 'css', 'scss',
  'ts', 'tsx', 'js', 'jsx', 'mjs', 'cjs', 'py', 'rb', 'go', 'rs', 'java', 'kt', 'scala', 'swift', 'c', 'h', 'cc', 'cpp', 'hpp', 'cs',
  'php', 'pl', 'lua', 'r', 'sh', 'bash', 'zsh', 'ps1', 'sql', 'graphql', 'proto', 'tf', 'hcl', 'diff', 'patch', 'dockerfile', 'makefile',
]);

/** Images by their declared type; text by type (text/*, JSON, YAML…) or by the name's extension; anything else only named. */
export function fileKind(file: Attachment): FileKind {
  const type = file.type.split(';')[0]!.trim().toLowerCase();
  if (IMAGE_TYPES.has(type)) return 'image';
  if (type.startsWith('text/') || TEXT_TYPES.has(type)) return 'text';
  const extension = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase() ?? file.name.toLowerCase();
  return TEXT_EXTENSIONS.has(extension) ? 'text' : 'other';
}

/** The image type the bytes themselves say (their magic numbers), or null when they are no image a model reads. */
export function sniffImageType(bytes: Uint8Array): string | null {
  const starts = (...prefix: number[]) => prefix.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  return null;
}
