/**
 * The checks the real Slack API makes on message content before accepting it, so a test
 * fails the way production would instead of passing against a too-lenient fake.
 * Limits: https://docs.slack.dev/reference/block-kit/blocks and /reference/methods/chat.postMessage
 */

/** Block Kit and message limits enforced by the fake (Slack's documented values). */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  contextActionsElements: 5,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  accessibilityLabel: 75,
  blockOrActionId: 255,
  messageText: 40000,
  inputLabel: 2000,
  plainTextInput: 3000,
} as const;

/** The outcome of checking a message: Slack's error code and, for invalid_blocks, the reasons. */
export interface ContentVerdict {
  error: 'invalid_blocks' | 'msg_too_long' | 'no_text';
  problems: string[];
}

type JsonObject = Record<string, unknown>;

/** What Slack would refuse in a chat.postMessage / update / postEphemeral call; undefined when it would accept it. */
export function checkMessageContent(params: JsonObject): ContentVerdict | undefined {
  const { text, blocks, attachments } = params;
  if (typeof text === 'string' && text.length > SLACK_LIMITS.messageText) {
    return { error: 'msg_too_long', problems: [`text is ${text.length} chars > ${SLACK_LIMITS.messageText}`] };
  }
  // Slack accepts attachments alone as content, so they count alongside text and blocks.
  if (isEmpty(text) && isEmpty(blocks) && isEmpty(attachments)) {
    return { error: 'no_text', problems: ['neither text nor blocks nor attachments'] };
  }
  const problems = blocks === undefined ? [] : blockProblems(blocks);
  return problems.length > 0 ? { error: 'invalid_blocks', problems } : undefined;
}

/** Every limit a blocks array breaks, as readable reasons; empty when Slack would accept it. */
export function blockProblems(blocks: unknown): string[] {
  if (!Array.isArray(blocks)) return ['blocks is not an array'];
  const problems = countOver(blocks, SLACK_LIMITS.blocksPerMessage, 'blocks');
  return problems.concat(blocks.flatMap((block, i) => checkBlock(asObject(block), `blocks[${i}]`)));
}

function checkBlock(block: JsonObject, at: string): string[] {
  const problems = tooLong(block.block_id, SLACK_LIMITS.blockOrActionId, `${at}.block_id`);
  switch (block.type) {
    case 'section':
      return problems.concat(sectionProblems(block, at));
    case 'header':
      return problems.concat(tooLong(textOf(block.text), SLACK_LIMITS.headerText, `${at}.text`));
    case 'actions':
      return problems.concat(
        countOver(block.elements, SLACK_LIMITS.actionsElements, `${at}.elements`),
        elementsProblems(block.elements, at),
      );
    case 'context':
      return problems.concat(countOver(block.elements, SLACK_LIMITS.contextElements, `${at}.elements`));
    case 'context_actions':
      return problems.concat(contextActionsProblems(block.elements, at));
    case 'input':
      return problems.concat(tooLong(textOf(block.label), SLACK_LIMITS.inputLabel, `${at}.label`), elementProblems(asObject(block.element), `${at}.element`));
    default:
      return problems;
  }
}

/**
 * A context_actions block holds 1 to 5 feedback_buttons or icon_button elements
 * (https://docs.slack.dev/reference/block-kit/blocks/context-actions-block).
 */
function contextActionsProblems(elements: unknown, at: string): string[] {
  if (!Array.isArray(elements) || elements.length === 0) return [`${at}.elements is missing or empty`];
  return countOver(elements, SLACK_LIMITS.contextActionsElements, `${at}.elements`).concat(
    elements.flatMap((item, i) => {
      const element = asObject(item);
      const where = `${at}.elements[${i}]`;
      if (element.type === 'feedback_buttons') return feedbackButtonsProblems(element, where);
      return element.type === 'icon_button' ? [] : [`${where}.type ${String(element.type)} is not allowed in context_actions`];
    }),
  );
}

/**
 * Both buttons are required, each with plain_text text of at most 75 characters, a value of at
 * most 2,000 and an optional accessibility label of at most 75
 * (https://docs.slack.dev/reference/block-kit/block-elements/feedback-buttons-element).
 */
function feedbackButtonsProblems(element: JsonObject, at: string): string[] {
  const problems = tooLong(element.action_id, SLACK_LIMITS.blockOrActionId, `${at}.action_id`);
  for (const side of ['positive_button', 'negative_button']) {
    const button = element[side];
    const where = `${at}.${side}`;
    if (typeof button !== 'object' || button === null) {
      problems.push(`${where} is missing`);
      continue;
    }
    const { text, value, accessibility_label: label } = button as JsonObject;
    if (asObject(text).type !== 'plain_text' || typeof textOf(text) !== 'string') problems.push(`${where}.text must be plain_text`);
    if (typeof value !== 'string' || value === '') problems.push(`${where}.value is missing`);
    problems.push(...tooLong(textOf(text), SLACK_LIMITS.buttonText, `${where}.text`), ...tooLong(value, SLACK_LIMITS.buttonValue, `${where}.value`), ...tooLong(label, SLACK_LIMITS.accessibilityLabel, `${where}.accessibility_label`));
  }
  return problems;
}

function sectionProblems(section: JsonObject, at: string): string[] {
  const fields = Array.isArray(section.fields) ? section.fields : [];
  return [
    ...tooLong(textOf(section.text), SLACK_LIMITS.sectionText, `${at}.text`),
    ...countOver(fields, SLACK_LIMITS.sectionFields, `${at}.fields`),
    ...fields.flatMap((field, i) => tooLong(textOf(field), SLACK_LIMITS.sectionFieldText, `${at}.fields[${i}]`)),
    ...(section.accessory === undefined ? [] : elementProblems(asObject(section.accessory), `${at}.accessory`)),
  ];
}

function elementsProblems(elements: unknown, at: string): string[] {
  if (!Array.isArray(elements)) return [];
  return elements.flatMap((element, i) => elementProblems(asObject(element), `${at}.elements[${i}]`));
}

function elementProblems(element: JsonObject, at: string): string[] {
  const problems = tooLong(element.action_id, SLACK_LIMITS.blockOrActionId, `${at}.action_id`);
  if (element.type === 'plain_text_input') return problems.concat(textInputProblems(element, at));
  if (element.type !== 'button') return problems;
  return problems.concat(
    tooLong(textOf(element.text), SLACK_LIMITS.buttonText, `${at}.text`),
    tooLong(element.value, SLACK_LIMITS.buttonValue, `${at}.value`),
  );
}

/** A text input's max_length is at most 3,000, and a prefilled value must fit in it. */
function textInputProblems(element: JsonObject, at: string): string[] {
  const max = typeof element.max_length === 'number' ? element.max_length : SLACK_LIMITS.plainTextInput;
  const problems = max > SLACK_LIMITS.plainTextInput ? [`${at}.max_length is ${max} > ${SLACK_LIMITS.plainTextInput}`] : [];
  return problems.concat(tooLong(element.initial_value, max, `${at}.initial_value`));
}

function tooLong(value: unknown, max: number, at: string): string[] {
  return typeof value === 'string' && value.length > max ? [`${at} is ${value.length} chars > ${max}`] : [];
}

function countOver(items: unknown, max: number, at: string): string[] {
  return Array.isArray(items) && items.length > max ? [`${at} has ${items.length} items > ${max}`] : [];
}

/** The string inside a text object (`{ type: 'plain_text', text }`), or undefined. */
function textOf(textObject: unknown): unknown {
  return asObject(textObject).text;
}

function asObject(value: unknown): JsonObject {
  return typeof value === 'object' && value !== null ? (value as JsonObject) : {};
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  return Array.isArray(value) && value.length === 0;
}
