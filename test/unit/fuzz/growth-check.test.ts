/**
 * The growth check the fuzz tests rely on: it must pass linear code and fail quadratic code,
 * or a fuzz test built on it could not fail.
 */
import { expectLinearGrowth } from '../../support/growth';
import { repeatTo } from '../../support/hostile-input';

/** The Slack mention pattern issue #15 found: it rescans to the end of the text from every unclosed `<@U_BOT|`. */
const QUADRATIC_MENTION = /<@U_BOT(?:\|[^>]*)?>/g;

test('passes code whose time grows with its input', () => {
  expectLinearGrowth((length) => repeatTo('<@U_BOT|', length), (text) => text.split('|').length);
});

test('fails code whose time grows with the square of its input', () => {
  expect(() => expectLinearGrowth((length) => repeatTo('<@U_BOT|', length), (text) => text.replace(QUADRATIC_MENTION, ''))).toThrow(/grew faster than linearly/);
});
