import { text } from '../../model/card';
import { conversationOf } from '../../model/conversation';
import { SCHEDULE_CHANGES, type ScheduleBook, type ScheduleChange } from '../../schedules/schedule-book';
import type { Command } from './command';

export const SCHEDULE_USAGE = [
  'schedule add "<cron>" <prompt> — every time the cron matches, I answer the prompt in a new thread here, as you',
  'schedule list — this channel\'s schedules: id, cron, next run, owner, state',
  'schedule pause|resume|delete <id> — change one (its owner, or someone who may set policy)',
].join('\n');

/**
 * A cron at the start of `args`, in quotes (straight or curly: Slack turns one into the other)
 * or as its five bare fields (one for a nickname such as `@daily`), and the prompt after it.
 */
export function splitCronAndPrompt(args: string): { cron: string; prompt: string } | null {
  const quoted = /^["“”'`]([^"“”'`]*)["“”'`]\s*([\s\S]*)$/.exec(args);
  if (quoted) return { cron: quoted[1]!, prompt: quoted[2]! };
  const words = args.split(/\s+/);
  const fields = words[0]?.startsWith('@') ? 1 : 5;
  if (words.length <= fields) return null;
  return { cron: words.slice(0, fields).join(' '), prompt: words.slice(fields).join(' ') };
}

const isChange = (word: string | undefined): word is ScheduleChange => SCHEDULE_CHANGES.includes(word as ScheduleChange);

/** `schedule ...`: agent work on a clock in this channel (docs/scheduling.md). Every answer is private. */
export function scheduleCommand(book: ScheduleBook): Command {
  return {
    name: 'schedule',
    usage: 'schedule add "<cron>" <prompt> | list | pause|resume|delete <id>',
    summary: 'runs a prompt here on a clock (standard 5-field cron), and lists or changes the channel\'s schedules',
    async run(command, reply) {
      const [sub, ...rest] = command.args.split(/\s+/).filter(Boolean);
      if (!sub || sub === 'list') return reply(text(await book.list(conversationOf(command.where))));
      if (sub === 'add') {
        const parts = splitCronAndPrompt(command.args.trim().slice('add'.length).trim());
        if (!parts) return reply(text(`Usage:\n${SCHEDULE_USAGE}`));
        return reply(text(await book.add(conversationOf(command.where), command.user, parts.cron, parts.prompt)));
      }
      if (isChange(sub) && rest.length === 1) return reply(text(await book.change(sub, rest[0]!, command.user, command.where)));
      return reply(text(`Usage:\n${SCHEDULE_USAGE}`));
    },
  };
}
