import { randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * 128 random bits, 22 base64url characters: unguessable, and short enough that an Approve
 * button's Discord custom_id (action, request id, plan hash and token) stays within 100.
 */
const TOKEN_BYTES = 16;

/** A new card token (AgentRequest.cardToken), made before the card is posted. */
export function newCardToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/**
 * Whether a button carried its card's token, compared in constant time so that a forger learns
 * nothing from how long a refusal takes. False when either is missing (a card older than
 * tokens, a button from an inbox list).
 */
export function isCardToken(cardToken: string | null, carried: string | null): boolean {
  if (!cardToken || !carried) return false;
  const expected = Buffer.from(cardToken);
  const given = Buffer.from(carried);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
