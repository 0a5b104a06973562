import { ButtonStyle, ComponentType, MessageFlags } from 'discord.js';
import type { JsonObject } from './payloads';

/**
 * Discord's message limits, checked the way Discord checks them so our renderer's bugs
 * surface as the same 400 (50035 Invalid Form Body) they would in production.
 * https://discord.com/developers/docs/resources/message#create-message
 */
export const DISCORD_LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  embedTotal: 6000,
  actionRows: 5,
  rowComponents: 5,
  customId: 100,
  buttonLabel: 80,
  commandName: 32,
  commandDescription: 100,
  commandOptions: 25,
  modalTitle: 45,
  modalComponents: 5,
  inputLabel: 45,
  inputValue: 4000,
} as const;

interface FieldError {
  code: string;
  message: string;
}

/** Discord's nested error map: keys follow the JSON path, leaves hold `_errors`. */
export interface ErrorTree {
  [key: string]: ErrorTree | FieldError[];
}

/** A Discord error answer: status plus the JSON body Discord sends. */
export interface DiscordErrorAnswer {
  status: number;
  body: { code: number; message: string; errors?: ErrorTree };
}

export function discordError(status: number, code: number, message: string): DiscordErrorAnswer {
  return { status, body: { code, message } };
}

class ErrorCollector {
  readonly tree: ErrorTree = {};
  private count = 0;

  add(path: (string | number)[], code: string, message: string): void {
    let node = this.tree;
    for (const key of path) {
      const next = (node[String(key)] ??= {});
      node = next as ErrorTree;
    }
    const errors = (node._errors ??= []) as FieldError[];
    errors.push({ code, message });
    this.count += 1;
  }

  maxLength(path: (string | number)[], value: unknown, max: number): void {
    const length = typeof value === 'string' || Array.isArray(value) ? value.length : 0;
    if (length > max) this.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
  }

  /** 400 Invalid Form Body when anything was added, else null. */
  answer(): DiscordErrorAnswer | null {
    if (this.count === 0) return null;
    return { status: 400, body: { code: 50035, message: 'Invalid Form Body', errors: this.tree } };
  }
}

const asObject = (value: unknown): JsonObject => (value && typeof value === 'object' ? (value as JsonObject) : {});
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const textLength = (value: unknown): number => (typeof value === 'string' ? value.length : 0);

/**
 * Checks a message create or edit body (channel message, webhook message, interaction
 * response data). `creating` adds Discord's "Cannot send an empty message" (50006).
 */
export function checkMessageBody(body: unknown, creating: boolean, fileCount = 0): DiscordErrorAnswer | null {
  const message = asObject(body);
  const errors = new ErrorCollector();
  errors.maxLength(['content'], message.content, DISCORD_LIMITS.content);
  checkEmbeds(errors, asArray(message.embeds));
  const isComponentsV2 = (Number(message.flags ?? 0) & MessageFlags.IsComponentsV2) !== 0;
  checkComponents(errors, asArray(message.components), isComponentsV2);
  const invalid = errors.answer();
  if (invalid) return invalid;
  if (creating && isEmptyMessage(message, fileCount)) return discordError(400, 50006, 'Cannot send an empty message');
  return null;
}

function isEmptyMessage(message: JsonObject, fileCount: number): boolean {
  return (
    textLength(message.content) === 0 &&
    asArray(message.embeds).length === 0 &&
    asArray(message.components).length === 0 &&
    asArray(message.sticker_ids).length === 0 &&
    message.poll === undefined &&
    fileCount === 0
  );
}

function checkEmbeds(errors: ErrorCollector, embeds: unknown[]): void {
  errors.maxLength(['embeds'], embeds, DISCORD_LIMITS.embeds);
  let total = 0;
  embeds.forEach((raw, i) => {
    const embed = asObject(raw);
    const footer = asObject(embed.footer);
    const author = asObject(embed.author);
    errors.maxLength(['embeds', i, 'title'], embed.title, DISCORD_LIMITS.embedTitle);
    errors.maxLength(['embeds', i, 'description'], embed.description, DISCORD_LIMITS.embedDescription);
    errors.maxLength(['embeds', i, 'footer', 'text'], footer.text, DISCORD_LIMITS.footerText);
    errors.maxLength(['embeds', i, 'author', 'name'], author.name, DISCORD_LIMITS.authorName);
    const fields = asArray(embed.fields);
    errors.maxLength(['embeds', i, 'fields'], fields, DISCORD_LIMITS.embedFields);
    total += textLength(embed.title) + textLength(embed.description) + textLength(footer.text) + textLength(author.name);
    fields.forEach((rawField, j) => {
      const field = asObject(rawField);
      for (const [key, max] of [['name', DISCORD_LIMITS.fieldName], ['value', DISCORD_LIMITS.fieldValue]] as const) {
        if (textLength(field[key]) === 0) errors.add(['embeds', i, 'fields', j, key], 'BASE_TYPE_REQUIRED', 'This field is required');
        errors.maxLength(['embeds', i, 'fields', j, key], field[key], max);
      }
      total += textLength(field.name) + textLength(field.value);
    });
  });
  if (total > DISCORD_LIMITS.embedTotal) {
    errors.add(['embeds'], 'MAX_EMBED_SIZE_EXCEEDED', `Embed size exceeds maximum size of ${DISCORD_LIMITS.embedTotal}`);
  }
}

function checkComponents(errors: ErrorCollector, rows: unknown[], isComponentsV2: boolean): void {
  if (!isComponentsV2) {
    errors.maxLength(['components'], rows, DISCORD_LIMITS.actionRows);
    rows.forEach((raw, i) => {
      const row = asObject(raw);
      if (row.type !== ComponentType.ActionRow) {
        errors.add(['components', i, 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1,).');
        return;
      }
      const children = asArray(row.components);
      if (children.length === 0) errors.add(['components', i, 'components'], 'BASE_TYPE_MIN_LENGTH', 'Must be 1 or more in length.');
      errors.maxLength(['components', i, 'components'], children, DISCORD_LIMITS.rowComponents);
      children.forEach((child, j) => checkButton(errors, ['components', i, 'components', j], asObject(child)));
    });
  }
  checkCustomIds(errors, rows, ['components'], new Set());
}

function checkButton(errors: ErrorCollector, path: (string | number)[], button: JsonObject): void {
  if (button.type !== ComponentType.Button) return;
  errors.maxLength([...path, 'label'], button.label, DISCORD_LIMITS.buttonLabel);
  if (button.style === ButtonStyle.Link && typeof button.url !== 'string') {
    errors.add([...path, 'url'], 'BASE_TYPE_REQUIRED', 'This field is required');
  }
  const needsCustomId = button.style !== ButtonStyle.Link && button.style !== ButtonStyle.Premium;
  if (needsCustomId && button.custom_id === undefined) {
    errors.add([...path, 'custom_id'], 'BASE_TYPE_REQUIRED', 'This field is required');
  }
  if (button.label === undefined && button.emoji === undefined && needsCustomId) {
    errors.add([...path], 'BUTTON_COMPONENT_INVALID', 'A button must have a label or an emoji');
  }
}

/** Every custom_id in the tree (rows, containers, accessories) must be 1-100 chars and unique in the message. */
function checkCustomIds(errors: ErrorCollector, components: unknown[], path: (string | number)[], seen: Set<string>): void {
  components.forEach((raw, i) => {
    const component = asObject(raw);
    const here = [...path, i];
    if (component.custom_id !== undefined) {
      const customId = String(component.custom_id);
      if (customId.length < 1 || customId.length > DISCORD_LIMITS.customId) {
        errors.add([...here, 'custom_id'], 'BASE_TYPE_BAD_LENGTH', `Must be between 1 and ${DISCORD_LIMITS.customId} in length.`);
      } else if (seen.has(customId)) {
        errors.add([...here, 'custom_id'], 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
      }
      seen.add(customId);
    }
    checkCustomIds(errors, asArray(component.components), [...here, 'components'], seen);
    if (component.accessory) checkCustomIds(errors, [component.accessory], [...here, 'accessory'], seen);
  });
}

/**
 * Checks a modal (interaction callback type 9): a title, a custom_id, one to five labelled
 * text inputs (a Label, type 18, or the older action row with a labelled input), each
 * within Discord's lengths. https://discord.com/developers/docs/components/reference#text-input
 */
export function checkModalBody(body: unknown): DiscordErrorAnswer | null {
  const modal = asObject(body);
  const errors = new ErrorCollector();
  if (textLength(modal.title) < 1) errors.add(['title'], 'BASE_TYPE_REQUIRED', 'This field is required');
  errors.maxLength(['title'], modal.title, DISCORD_LIMITS.modalTitle);
  const length = textLength(modal.custom_id);
  if (length < 1 || length > DISCORD_LIMITS.customId) errors.add(['custom_id'], 'BASE_TYPE_BAD_LENGTH', `Must be between 1 and ${DISCORD_LIMITS.customId} in length.`);
  const rows = asArray(modal.components);
  if (rows.length === 0) errors.add(['components'], 'BASE_TYPE_MIN_LENGTH', 'Must be 1 or more in length.');
  errors.maxLength(['components'], rows, DISCORD_LIMITS.modalComponents);
  rows.forEach((raw, i) => {
    const row = asObject(raw);
    const labelled = row.type === ComponentType.Label;
    const input = labelled ? asObject(row.component) : asObject(asArray(row.components)[0]);
    const at = labelled ? ['components', i, 'component'] : ['components', i, 'components', 0];
    errors.maxLength(labelled ? ['components', i, 'label'] : [...at, 'label'], labelled ? row.label : input.label, DISCORD_LIMITS.inputLabel);
    if (input.type !== ComponentType.TextInput) errors.add([...at, 'type'], 'UNION_TYPE_CHOICES', 'Only text inputs are checked by the fake.');
    if (textLength(input.custom_id) < 1) errors.add([...at, 'custom_id'], 'BASE_TYPE_REQUIRED', 'This field is required');
    errors.maxLength([...at, 'custom_id'], input.custom_id, DISCORD_LIMITS.customId);
    errors.maxLength([...at, 'value'], input.value, DISCORD_LIMITS.inputValue);
    if (Number(input.max_length ?? 0) > DISCORD_LIMITS.inputValue) errors.add([...at, 'max_length'], 'NUMBER_TYPE_MAX', `int value should be less than or equal to ${DISCORD_LIMITS.inputValue}.`);
    if (typeof input.max_length === 'number') errors.maxLength([...at, 'value'], input.value, input.max_length);
  });
  return errors.answer();
}

const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** Checks a bulk-overwrite body: names, descriptions, option counts and duplicate names. */
export function checkCommands(body: unknown): DiscordErrorAnswer | null {
  const errors = new ErrorCollector();
  if (!Array.isArray(body)) {
    errors.add([], 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
    return errors.answer();
  }
  const names = new Set<string>();
  body.forEach((raw, i) => {
    const command = asObject(raw);
    const chatInput = command.type === undefined || command.type === 1;
    checkNameAndDescription(errors, [i], command, chatInput);
    const key = `${String(command.type ?? 1)}:${String(command.name)}`;
    if (names.has(key)) errors.add([i, 'name'], 'APPLICATION_COMMANDS_DUPLICATE_NAME', 'Application command names must be unique');
    names.add(key);
    checkOptions(errors, [i, 'options'], asArray(command.options));
  });
  return errors.answer();
}

function checkOptions(errors: ErrorCollector, path: (string | number)[], options: unknown[]): void {
  errors.maxLength(path, options, DISCORD_LIMITS.commandOptions);
  options.forEach((raw, j) => {
    const option = asObject(raw);
    checkNameAndDescription(errors, [...path, j], option, true);
    checkOptions(errors, [...path, j, 'options'], asArray(option.options));
  });
}

function checkNameAndDescription(errors: ErrorCollector, path: (string | number)[], item: JsonObject, chatInput: boolean): void {
  const name = typeof item.name === 'string' ? item.name : '';
  if (!COMMAND_NAME.test(name) || (chatInput && name !== name.toLowerCase())) {
    errors.add([...path, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
  }
  const description = textLength(item.description);
  if (chatInput && (description < 1 || description > DISCORD_LIMITS.commandDescription)) {
    errors.add([...path, 'description'], 'BASE_TYPE_BAD_LENGTH', `Must be between 1 and ${DISCORD_LIMITS.commandDescription} in length.`);
  }
}
