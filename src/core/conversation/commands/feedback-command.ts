import { text } from '../../model/card';
import { conversationOf } from '../../model/conversation';
import type { FeedbackStore } from '../../ports/stores';
import type { Command } from './command';

/** How many of the channel's latest answers `feedback` counts over. */
const ANSWERS = 50;

/** `feedback`: the 👍/👎 given on this channel's recent answers, privately; never another channel's or workspace's. */
export function feedbackCommand(feedback: FeedbackStore): Command {
  return {
    name: 'feedback',
    usage: 'feedback',
    summary: `shows, privately, the 👍 and 👎 given on this channel's last ${ANSWERS} answers`,
    async run(command, reply) {
      const tally = await feedback.tally(conversationOf(command.where), ANSWERS);
      if (tally.answers === 0) return reply(text('No answers to rate in this channel yet.'));
      const over = tally.answers === 1 ? 'the last answer' : `the last ${tally.answers} answers`;
      await reply(text(`Feedback on ${over} in this channel: 👍 ${tally.positive}, 👎 ${tally.negative}.`));
    },
  };
}
