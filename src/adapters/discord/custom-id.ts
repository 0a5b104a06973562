import { PlatformLimitError } from '../../core/errors';
import { DISCORD_LIMITS } from './limits';

const SEPARATOR = ':';

/** What a button's custom_id carries back: the core's action id and the button's short value (a request id). */
export interface ButtonPayload {
  readonly actionId: string;
  readonly value: string;
}

/**
 * Packs an action id and its value into a custom_id (`switchboard.approve:<request id>`).
 * Only ids travel: everything else is looked up in Postgres when the click arrives.
 * @throws PlatformLimitError when the result would break Discord's 1–100 character limit or
 * could not be decoded again; a cut id would route the click to the wrong place.
 */
export function encodeCustomId({ actionId, value }: ButtonPayload): string {
  const customId = `${actionId}${SEPARATOR}${value}`;
  if (actionId === '' || actionId.includes(SEPARATOR) || customId.length > DISCORD_LIMITS.customId) {
    throw new PlatformLimitError('discord', 'custom_id', `a button custom_id must be an action id without "${SEPARATOR}" and at most ${DISCORD_LIMITS.customId} characters`, {
      actionId,
      length: customId.length,
    });
  }
  return customId;
}

/** Unpacks a custom_id; whether the action is one of ours is the core's call (parseAction). */
export function decodeCustomId(customId: string): ButtonPayload {
  const at = customId.indexOf(SEPARATOR);
  return at < 0 ? { actionId: customId, value: '' } : { actionId: customId.slice(0, at), value: customId.slice(at + 1) };
}
