import type { OutboundMessage } from '../model/card';
import { UNDO_RULE_ACTION } from '../model/action-ids';
import type { Person } from '../model/conversation';
import type { PolicyRule, RunMode } from '../model/policy-rule';
import type { InEffect, ToolPolicy } from './tool-policy';

/** Where a rule a command writes applies. */
export type RuleLevel = 'channel' | 'workspace';

const RUN_WORDS: Record<RunMode, string> = { auto: 'runs without asking', ask: 'asks first', hide: 'hidden' };

const when = (at: Date): string => `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

function origin(setting: InEffect<unknown>): string {
  return setting.rule ? `${setting.source}, ${setting.rule.setBy.name} ${when(setting.rule.setAt)}` : 'environment';
}

const approversText = (approvers: readonly string[]): string => (approvers.length ? approvers.join(', ') : 'workspace admins');

/** One tool's line in `policy`: each setting in effect and where it comes from. */
export function policyLine(tool: string, policy: ToolPolicy): string {
  return [
    `• \`${tool}\`: ${RUN_WORDS[policy.run.value]} (${origin(policy.run)})`,
    `approvers ${approversText(policy.approvers.value)} (${origin(policy.approvers)})`,
    `four eyes ${policy.fourEyes.value ? 'on' : 'off'} (${origin(policy.fourEyes)})`,
  ].join(' · ');
}

/** A stored rule whose tool pattern no tool here has (a `server__*`, or a tool gone since). */
export function ruleLine(rule: PolicyRule): string {
  const sets = [rule.run && RUN_WORDS[rule.run], rule.approvers && `approvers ${approversText(rule.approvers)}`, rule.fourEyes !== null && `four eyes ${rule.fourEyes ? 'on' : 'off'}`];
  return `• \`${rule.tool}\` (${rule.channel === null ? 'workspace' : 'channel'} rule, ${rule.setBy.name} ${when(rule.setAt)}): ${sets.filter(Boolean).join(' · ')}`;
}

const placeText = (level: RuleLevel): string => (level === 'channel' ? 'in this channel' : 'in this workspace');

/** What a change does, as the channel it applies to is told. */
export type ChangeKind = { readonly kind: 'run'; readonly run: RunMode } | { readonly kind: 'approvers'; readonly approvers: readonly string[] } | { readonly kind: 'reset' };

/** The announcement of a change, in the channel it applies to. */
export function changeNotice(by: Person, tool: string, change: ChangeKind, level: RuleLevel): string {
  const place = placeText(level);
  switch (change.kind) {
    case 'run':
      if (change.run === 'auto') return `@${by.name} let \`${tool}\` run without asking ${place}.`;
      return change.run === 'ask' ? `@${by.name} made \`${tool}\` ask before it runs ${place}.` : `@${by.name} hid \`${tool}\` ${place}: the agent is not offered it and \`!run\` refuses it.`;
    case 'approvers':
      return `@${by.name} made ${change.approvers.join(', ')} the approvers of \`${tool}\` ${place}.`;
    case 'reset':
      return `@${by.name} removed the rule for \`${tool}\` ${place}: the ${level === 'channel' ? 'workspace rule or the ' : ''}environment's settings apply.`;
  }
}

/** The thread's notice after "Always allow here", with the Undo button that removes the rule. */
export function alwaysAllowedNotice(by: Person, tool: string): OutboundMessage {
  const said = `@${by.name} let \`${tool}\` run without asking in this channel`;
  return {
    text: `${said} · Undo`,
    card: { accent: 'info', elements: [{ type: 'text', text: said }, { type: 'actions', buttons: [{ actionId: UNDO_RULE_ACTION, value: tool, label: 'Undo' }] }] },
  };
}

/** That notice once undone: the button is gone, so it cannot be undone twice. */
export function undoneNotice(by: Person, tool: string): OutboundMessage {
  const said = `@${by.name} undid "always allow": \`${tool}\` asks again in this channel.`;
  return { text: said, card: { accent: 'neutral', elements: [{ type: 'text', text: said }] } };
}
