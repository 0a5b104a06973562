/**
 * What Slack checks when an app opens a modal: the click's trigger_id (single use, about
 * 3 s) and the view's own limits, so a renderer bug or a slow path fails here as it would
 * in production. https://docs.slack.dev/reference/methods/views.open and
 * /reference/views/modal-views
 */
import { blockProblems } from './block-kit-checks';

/** Modal limits enforced by the fake (Slack's documented values). */
export const MODAL_LIMITS = {
  title: 24,
  button: 24,
  privateMetadata: 3000,
  callbackId: 255,
  blocks: 100,
} as const;

/** How long a trigger_id can be exchanged for a modal. */
export const TRIGGER_LIFETIME_MS = 3000;

type JsonObject = Record<string, unknown>;

/** The trigger ids the fake handed out in clicks, and which were used. */
export class Triggers {
  private readonly issued = new Map<string, { at: number; used: boolean }>();

  issue(triggerId: string): void {
    this.issued.set(triggerId, { at: Date.now(), used: false });
  }

  /** Slack's error for exchanging this trigger now, or undefined when it may open a view (it is then used up). */
  exchange(triggerId: unknown): string | undefined {
    const trigger = typeof triggerId === 'string' ? this.issued.get(triggerId) : undefined;
    if (!trigger) return 'invalid_trigger_id';
    if (trigger.used) return 'exchanged_trigger_id';
    if (Date.now() - trigger.at > TRIGGER_LIFETIME_MS) return 'expired_trigger_id';
    trigger.used = true;
    return undefined;
  }
}

/** Every limit a modal view breaks, as readable reasons; empty when Slack would accept it. */
export function viewProblems(view: unknown): string[] {
  if (typeof view !== 'object' || view === null) return ['view is not an object'];
  const v = view as JsonObject;
  const blocks = Array.isArray(v.blocks) ? v.blocks : [];
  const hasInput = blocks.some((b) => (b as JsonObject | null)?.type === 'input');
  return [
    ...(v.type === 'modal' ? [] : [`view.type is ${String(v.type)}, not modal`]),
    ...plainText(v.title, MODAL_LIMITS.title, 'view.title', true),
    ...plainText(v.submit, MODAL_LIMITS.button, 'view.submit', hasInput),
    ...plainText(v.close, MODAL_LIMITS.button, 'view.close', false),
    ...tooLong(v.private_metadata, MODAL_LIMITS.privateMetadata, 'view.private_metadata'),
    ...tooLong(v.callback_id, MODAL_LIMITS.callbackId, 'view.callback_id'),
    ...(blocks.length > MODAL_LIMITS.blocks ? [`view.blocks has ${blocks.length} items > ${MODAL_LIMITS.blocks}`] : []),
    ...blockProblems(blocks).filter((p) => !p.startsWith('blocks has')),
  ];
}

function plainText(value: unknown, max: number, at: string, required: boolean): string[] {
  if (value === undefined) return required ? [`${at} is required`] : [];
  const t = value as JsonObject | null;
  if (t?.type !== 'plain_text' || typeof t.text !== 'string') return [`${at} must be a plain_text object`];
  return tooLong(t.text, max, `${at}.text`);
}

function tooLong(value: unknown, max: number, at: string): string[] {
  return typeof value === 'string' && value.length > max ? [`${at} is ${value.length} chars > ${max}`] : [];
}

/** views.publish: a Home tab view within Slack's limits, for a user (https://docs.slack.dev/reference/methods/views.publish). */
export function homeViewProblems(params: JsonObject): string[] {
  const view = params.view;
  if (typeof view !== 'object' || view === null) return ['view is not an object'];
  const v = view as JsonObject;
  const blocks = Array.isArray(v.blocks) ? v.blocks : [];
  return [
    ...(typeof params.user_id === 'string' && params.user_id !== '' ? [] : ['user_id is required']),
    ...(v.type === 'home' ? [] : [`view.type is ${String(v.type)}, not home`]),
    ...(blocks.length > MODAL_LIMITS.blocks ? [`view.blocks has ${blocks.length} items > ${MODAL_LIMITS.blocks}`] : []),
    ...blockProblems(blocks).filter((p) => !p.startsWith('blocks has')),
  ];
}
