import { parseBudgetChange } from '../../../../src/core/conversation/commands/policy-budget';
import { budgetDay, budgetResetAt } from '../../../../src/core/model/token-budget';

describe('policy budget arguments', () => {
  test.each([
    ['', { kind: 'show' }],
    ['50000', { kind: 'set', scope: 'channel', tokens: 50_000 }],
    ['50k user', { kind: 'set', scope: 'user', tokens: 50_000 }],
    ['1.5M channel', { kind: 'set', scope: 'channel', tokens: 1_500_000 }],
    ['0', { kind: 'set', scope: 'channel', tokens: 0 }],
    ['default USER', { kind: 'set', scope: 'user', tokens: null }],
  ])('"%s" reads as %j', (args, change) => {
    expect(parseBudgetChange(args)).toEqual(change);
  });

  test.each([['lots'], ['-5'], ['5000 team'], ['5000 user extra'], ['2000000000']])('"%s" is refused with how to say it', (args) => {
    expect(parseBudgetChange(args)).toEqual(expect.any(String));
  });
});

describe('budget days', () => {
  test('a day is the date in the reset time zone, and resets at its next midnight', () => {
    const at = new Date('2026-12-08T23:30:00Z');
    expect(budgetDay(at, 'UTC')).toBe('2026-12-08');
    expect(budgetDay(at, 'Europe/Paris')).toBe('2026-12-09');
    expect(budgetResetAt(at, 'UTC').toISOString()).toBe('2026-12-09T00:00:00.000Z');
    expect(budgetResetAt(at, 'Europe/Paris').toISOString()).toBe('2026-12-09T23:00:00.000Z');
    expect(budgetResetAt(at, 'America/New_York').toISOString()).toBe('2026-12-09T05:00:00.000Z');
  });
});
