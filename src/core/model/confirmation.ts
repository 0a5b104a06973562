/** What a one-time confirmation is for; a token issued for one purpose is refused for any other. */
export const CONFIRMATION_PURPOSES = ['context_clear'] as const;
export type ConfirmationPurpose = (typeof CONFIRMATION_PURPOSES)[number];
