import { SystemError } from '../../core/errors';
import { metadataSchemas, type MessageType } from '../../core/model/message';

/**
 * Checks a message's metadata against its type's schema before it reaches the database.
 * @throws SystemError `invalid_metadata` naming the type and the first bad field.
 */
export function validateMetadata(type: MessageType, metadata: unknown): Record<string, unknown> {
  const result = metadataSchemas[type].safeParse(metadata);
  if (result.success) return result.data as Record<string, unknown>;
  const issue = result.error.issues[0]!;
  const field = issue.path.join('.') || '(root)';
  throw new SystemError('invalid_metadata', `invalid ${type} metadata: ${field}: ${issue.message}`, {
    type,
    field,
  });
}
