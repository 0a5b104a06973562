import { text } from '../../model/card';
import type { RequestDecisions } from '../../approvals/request-decisions';
import type { RunCancel } from '../../runs/run-cancel';
import type { Command } from './command';

/**
 * `approve <id> [confirm]`, `deny <id> [reason]` and `cancel <id>`: the typed fallback for the
 * buttons, through the same checks: from the request's workspace, and from its channel unless
 * the person is an approver; a destructive approval must say `confirm`.
 */
export function decisionCommands(decisions: RequestDecisions, cancel: RunCancel): Command[] {
  const withId = (name: string, rest: string, summary: string, act: (id: string, more: string, ...args: Parameters<Command['run']>) => Promise<unknown>): Command => ({
    name,
    usage: `${name} <id>${rest}`,
    summary,
    async run(command, reply) {
      const [, id, more = ''] = /^(\S+)\s*([\s\S]*)$/.exec(command.args) ?? [];
      if (!id) return reply(text(`Usage: !${name} <id>${rest} (the id is at the bottom of the card)`));
      await act(id, more.trim(), command, reply);
    },
  });
  return [
    withId('approve', ' [confirm]', 'approves a pending request (a destructive one needs `confirm`)', (id, more, c, reply) =>
      decisions.decide({ requestId: id, decision: 'approved', user: c.user, origin: { via: 'command', where: c.where }, confirmed: more.toLowerCase() === 'confirm' }, reply),
    ),
    withId('deny', ' [reason]', 'denies a pending request, optionally saying why', (id, more, c, reply) =>
      decisions.decide({ requestId: id, decision: 'denied', user: c.user, origin: { via: 'command', where: c.where }, reason: more || null }, reply),
    ),
    withId('cancel', '', 'stops a run, at any step', (id, _more, c, reply) => cancel.cancel(id, c.user, { via: 'command', where: c.where }, reply)),
  ];
}
