import type { SplitRules } from '../../core/text/split-text';

/**
 * Discord's message limits, checked by the renderer before any API call could be refused
 * (Discord answers 400 / 50035 Invalid Form Body, and discord.js does not check raw
 * component objects). https://discord.com/developers/docs/resources/message#create-message
 * and https://discord.com/developers/docs/components/reference#button
 */
export const DISCORD_LIMITS = {
  content: 2000,
  embedsPerMessage: 10,
  /** Title, description, field names and values, footer and author of all embeds together. */
  embedTotal: 6000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  actionRows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
  commandDescription: 100,
  /** Modals (https://discord.com/developers/docs/components/reference#text-input): title, labels, inputs, values. */
  modalTitle: 45,
  modalInputs: 5,
  inputLabel: 45,
  inputValue: 4000,
} as const;

/** How a text is cut to one message (an edit, a note): a code block cut keeps its language, the rest is counted in a note. */
export const DISCORD_CUT: SplitRules = { maxChars: DISCORD_LIMITS.content, maxPieces: 1, fenceLanguage: true };
