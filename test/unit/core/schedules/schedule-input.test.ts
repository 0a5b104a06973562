/** What a person may give a schedule: the cron (read in a time zone, DST included), the prompt, and how `schedule add` splits them. */
import { UserInputError } from '../../../../src/core/errors';
import { CronExpression } from '../../../../src/core/model/cron';
import { newSchedule } from '../../../../src/core/model/schedule';
import { splitCronAndPrompt } from '../../../../src/core/conversation/commands/schedule-command';

const at = (iso: string) => new Date(iso);
const nextFrom = (cron: string, zone: string, from: string, n = 1): string[] => {
  const expression = new CronExpression(cron, zone);
  const runs: string[] = [];
  let after = at(from);
  for (let i = 0; i < n; i++) {
    after = expression.nextAfter(after)!;
    runs.push(after.toISOString());
  }
  return runs;
};

describe('a cron expression', () => {
  test('reads its five fields in its time zone: weekdays at 09:00 Paris time', () => {
    expect(nextFrom('0 9 * * 1-5', 'Europe/Paris', '2026-03-27T12:00:00Z', 2)).toEqual(['2026-03-30T07:00:00.000Z', '2026-03-31T07:00:00.000Z']);
  });

  test('fires a fixed time that the spring-forward gap skips just after the gap, once that day', () => {
    // 29 March 2026, Paris: 02:00 becomes 03:00, so 02:30 does not exist.
    expect(nextFrom('30 2 * * *', 'Europe/Paris', '2026-03-28T12:00:00Z', 2)).toEqual(['2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']);
  });

  test('fires a fixed time that the fall-back hour repeats only once', () => {
    // 25 October 2026, Paris: 02:30 happens at 00:30Z and again at 01:30Z.
    expect(nextFrom('30 2 * * *', 'Europe/Paris', '2026-10-24T12:00:00Z', 2)).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
  });

  test('finds the latest firing in a window, and none before its start', () => {
    const everyHour = new CronExpression('0 * * * *', 'UTC');
    expect(everyHour.latestBetween(at('2026-01-01T00:00:00Z'), at('2026-01-01T03:30:00Z'))).toEqual(at('2026-01-01T03:00:00Z'));
    expect(everyHour.latestBetween(at('2026-01-01T03:00:00Z'), at('2026-01-01T03:00:00Z'))).toEqual(at('2026-01-01T03:00:00Z'));
    expect(everyHour.latestBetween(at('2026-01-01T03:10:00Z'), at('2026-01-01T03:50:00Z'))).toBeNull();
  });

  test.each([
    ['0 9 * *', 'exactly five'],
    ['0 0 9 * * *', '5 parts'],
    ['61 9 * * *', 'minute'],
    ['every morning', 'five'],
  ])('refuses %p as a user error that shows it', (expression, why) => {
    const refusal = (() => {
      try {
        new CronExpression(expression, 'UTC');
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(UserInputError);
    expect((refusal as UserInputError).message).toContain(`"${expression}" is not a cron expression I can use`);
    expect((refusal as UserInputError).message).toContain(why);
  });

  test('refuses a time zone it does not know, and an expression that never matches again', () => {
    expect(() => new CronExpression('0 9 * * *', 'Mars/Olympus')).toThrow('"Mars/Olympus" is not a time zone I know');
    const request = { conversation: { platform: 'slack', workspace: 'T1', channel: 'C1' }, owner: { id: 'U1', name: 'alice' }, prompt: 'x', timeZone: 'UTC' } as const;
    expect(() => newSchedule({ ...request, cron: '0 0 30 2 *' }, at('2026-01-01T00:00:00Z'))).toThrow('never matches a future time');
  });
});

describe('a schedule prompt', () => {
  const request = { conversation: { platform: 'slack', workspace: 'T1', channel: 'C1' }, owner: { id: 'U1', name: 'alice' }, cron: '0 9 * * *', timeZone: 'UTC' } as const;
  test.each([
    ['blank', '   ', 'needs a prompt'],
    ['a command', '!pending', 'cannot start with !'],
    ['over 500 characters', 'x'.repeat(501), '500 characters at most'],
  ])('is refused when %s', (_what, prompt, why) => {
    expect(() => newSchedule({ ...request, prompt }, new Date())).toThrow(why);
  });
});

describe('schedule add arguments', () => {
  test.each([
    ['"0 9 * * 1-5" summarise #incidents', { cron: '0 9 * * 1-5', prompt: 'summarise #incidents' }],
    ['“0 9 * * 1-5” summarise #incidents', { cron: '0 9 * * 1-5', prompt: 'summarise #incidents' }],
    ['0 9 * * 1-5 summarise #incidents', { cron: '0 9 * * 1-5', prompt: 'summarise #incidents' }],
    ['@daily summarise the day', { cron: '@daily', prompt: 'summarise the day' }],
    ['0 9 * * 1-5', null],
  ])('splits %p', (args, parts) => {
    expect(splitCronAndPrompt(args)).toEqual(parts);
  });
});
