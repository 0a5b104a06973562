import { text } from '../../model/card';
import type { RequestService } from '../../requests/request-service';
import type { Command } from './command';

/** `approve <id>`, `deny <id>` and `cancel <id>`: the text fallback for the buttons, through the same path. */
export function decisionCommands(requests: RequestService): Command[] {
  const withId = (name: string, summary: string, act: (id: string, ...rest: Parameters<Command['run']>) => Promise<void>): Command => ({
    name,
    usage: `${name} <request-id>`,
    summary,
    async run(command, reply) {
      const id = command.args.split(/\s+/)[0];
      if (!id) return reply(text(`Usage: !${name} <request-id> (the id is at the bottom of the card)`));
      await act(id, command, reply);
    },
  });
  return [
    withId('approve', 'approves a pending request', (id, c, reply) => requests.decide(id, 'approved', c.user, reply)),
    withId('deny', 'denies a pending request', (id, c, reply) => requests.decide(id, 'denied', c.user, reply)),
    withId('cancel', 'stops a running request', (id, c, reply) => requests.cancel(id, c.user, reply)),
  ];
}
