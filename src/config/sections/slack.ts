import { z } from 'zod';
import { ConfigError } from '../../core/errors';
import { optionalSecret, optionalUrl, parseJson } from '../parsers';
import { setting, type Section, type SectionValue } from '../setting';

/** Slack's assistant.threads.setSuggestedPrompts takes at most 4 prompts. */
const SUGGESTED_PROMPTS_MAX = 4;
/** Kept to a button's width; Slack cuts longer titles. */
const SUGGESTED_PROMPT_TITLE_MAX = 75;

/** What the assistant panel suggests when SLACK_ASSISTANT_PROMPTS is unset. */
const DEFAULT_ASSISTANT_PROMPTS = [
  { title: 'What can you do?', message: 'What can you do for me, and what needs someone to approve it?' },
  { title: 'What waits for my decision?', message: '!pending' },
  { title: 'What do you remember here?', message: '!context' },
] as const;

/** The assistant panel's first message in a new thread when SLACK_ASSISTANT_GREETING is unset. */
const DEFAULT_ASSISTANT_GREETING = 'Hi! Ask me anything, or ask me to get something done: I propose it, and nothing runs until a person approves.';

/** One suggested prompt of Slack's assistant panel: the button's label and the message it sends. */
const suggestedPrompt = z.object({
  title: z.string().trim().min(1, { error: 'a prompt needs a title' }).max(SUGGESTED_PROMPT_TITLE_MAX),
  message: z.string().trim().min(1, { error: 'a prompt needs a message' }),
});

/**
 * Suggested prompts: a JSON array of {title, message}, or `|`-separated messages (each its
 * own title). Slack shows at most {@link SUGGESTED_PROMPTS_MAX}.
 */
const suggestedPrompts = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined) return [...DEFAULT_ASSISTANT_PROMPTS];
    const text = v.trim();
    const raw: unknown = text.startsWith('[') ? parseJson(text, ctx) : text.split('|').map((m) => ({ title: m.trim(), message: m.trim() }));
    const parsed = z.array(suggestedPrompt).min(1).max(SUGGESTED_PROMPTS_MAX).safeParse(raw);
    if (parsed.success) return parsed.data;
    ctx.addIssue({ code: 'custom', message: `expected 1 to ${SUGGESTED_PROMPTS_MAX} prompts as a JSON array of {"title","message"} or a |-separated list: ${parsed.error.issues[0]!.message}` });
    return z.NEVER;
  });

/** Slack (docs/slack.md): the tokens, the Web API base, agent or assistant messaging, the greeting and prompts. */
export const slackSettings = {
  botToken: setting('SLACK_BOT_TOKEN', z.string().startsWith('xoxb-', { error: "expected a bot token starting with 'xoxb-'" }).optional(), {
    doc: 'bot token (xoxb-...); setting it enables Slack',
  }),
  signingSecret: setting('SLACK_SIGNING_SECRET', optionalSecret, { doc: 'signing secret, for Slack HTTP mode (endpoint /slack/events)' }),
  appToken: setting('SLACK_APP_TOKEN', z.string().startsWith('xapp-', { error: "expected an app token starting with 'xapp-'" }).optional(), {
    doc: 'app-level token (xapp-...), for Slack Socket Mode instead of HTTP',
  }),
  apiUrl: setting('SLACK_API_URL', optionalUrl, { doc: 'Web API base override (GovSlack, tests); unset is Slack' }),
  messaging: setting('SLACK_MESSAGING', z.enum(['agent', 'assistant']), {
    default: 'agent',
    doc: "what the app's manifest declares: agent (agent_view, as slack-manifest.yml: agent sessions with a Stop button, task cards) or assistant (an older app still on assistant_view)",
  }),
  assistant: {
    greeting: setting('SLACK_ASSISTANT_GREETING', z.string().trim().min(1), {
      default: DEFAULT_ASSISTANT_GREETING,
      doc: 'the first message of a new DM with the bot (agent messaging) or of a new assistant-panel thread; unset = a short hello',
    }),
    prompts: setting('SLACK_ASSISTANT_PROMPTS', suggestedPrompts, {
      doc: 'the panel\'s suggested prompts, at most 4: a JSON array of {"title","message"} or messages separated by |; unset = what can you do, !pending, !context',
    }),
  },
} satisfies Section;

/** What the Slack settings read to. */
export type SlackSettings = SectionValue<typeof slackSettings>;

/** Slack's part of the Config: present when SLACK_BOT_TOKEN is set. */
export type SlackConfig = Omit<SlackSettings, 'botToken'> & { readonly botToken: string };

/**
 * The Slack config, or undefined without a bot token.
 * @throws ConfigError naming the missing variable: a secret without a token, or a token with neither HTTP nor Socket Mode.
 */
export function slackConfig(s: SlackSettings): SlackConfig | undefined {
  const { botToken } = s;
  if (!botToken) {
    if (s.signingSecret || s.appToken) {
      throw new ConfigError('missing_variable', 'SLACK_BOT_TOKEN: required when SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set');
    }
    return undefined;
  }
  if (!s.signingSecret && !s.appToken) {
    throw new ConfigError('missing_variable', 'SLACK_SIGNING_SECRET: required for HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  return { ...s, botToken };
}
