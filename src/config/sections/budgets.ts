import { timeZone, wholeNumber } from '../parsers';
import { setting, type Section } from '../setting';

/** A daily token limit; 0 is none. */
const tokens = wholeNumber(0, 1_000_000_000);

/** Spend limits on the model (docs/policy.md, "Spend limits"). */
export const budgetSettings = {
  perUserDay: setting('BUDGET_TOKENS_PER_USER_DAY', tokens, { default: '0', doc: 'model tokens one person may use a day in a workspace; 0 = unlimited' }),
  perChannelDay: setting('BUDGET_TOKENS_PER_CHANNEL_DAY', tokens, { default: '0', doc: 'model tokens one channel may use a day; 0 = unlimited' }),
  resetTimeZone: setting('BUDGET_RESET_TZ', timeZone, { default: 'UTC', doc: 'the time zone whose midnight starts a new budget day (an IANA name such as Europe/Paris)' }),
  reserveTokens: setting('BUDGET_RESERVE_TOKENS', wholeNumber(1, 1_000_000), {
    default: '4000',
    doc: "tokens held for a model call's answer (on top of its prompt's estimate) until the call reports its use; a limit is overspent by at most one call's hold",
  }),
} satisfies Section;
