import type { TokenBudgets } from '../../budgets/token-budgets';
import { usageLine } from '../../budgets/budget-text';
import { text } from '../../model/card';
import type { Command } from './command';

/**
 * `usage`: today's model tokens for the asker and for this channel, against their limits.
 * Counters are kept only where a limit applies (an unlimited message writes nothing); without
 * one, /metrics counts tokens by workspace.
 */
export function usageCommand(tokens: TokenBudgets): Command {
  return {
    name: 'usage',
    usage: 'usage',
    summary: "shows today's model tokens for you and for this channel, and their daily limits",
    async run(command, reply) {
      const today = await tokens.today(command.where, command.user.id);
      const line = (label: string, used: number, limit: number) => (limit > 0 ? usageLine(label, used, limit) : `${label}: no limit, so not counted here`);
      await reply(text([line('You', today.user.used, today.limits.user), line('This channel', today.channel.used, today.limits.channel), `Budgets reset at ${today.reset}.`].join('\n')));
    },
  };
}
