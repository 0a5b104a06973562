import { SlashCommandBuilder, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { CONTEXT_TYPES } from '../../core/model/context-fact';

interface OptionSpec {
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
  readonly choices?: readonly string[];
  /**
   * The core reads this value as one word (a fact key): spaces in it become `_`, as the core
   * would normalise them, and a blank one stays in its place as `_` (which the core refuses
   * as an empty key) so the next value never slides into it.
   */
  readonly oneWord?: boolean;
}

interface SubcommandSpec {
  readonly name: string;
  readonly description: string;
  readonly options?: readonly OptionSpec[];
}

/** A slash command with subcommands, and how a use of it becomes one of the core's commands. */
interface SlashSpec {
  readonly name: string;
  readonly description: string;
  readonly subcommands: readonly SubcommandSpec[];
  /** The core command for a subcommand and its option values, in declared order (unset ones left out). */
  toCore(subcommand: string, values: readonly string[]): { name: string; args: string };
}

const requestId: OptionSpec = { name: 'id', description: 'The request id, at the bottom of its card', required: true };
const policyTool: OptionSpec = { name: 'tool', description: 'A tool name, as /switchboard help lists it, or server__* for one MCP server', required: true, oneWord: true };
const policyWhere: OptionSpec = { name: 'where', description: 'This channel (default) or the whole server', choices: ['channel', 'workspace'] };
const scheduleId: OptionSpec = { name: 'id', description: 'The schedule id, as /schedule list shows it', required: true, oneWord: true };

/** `/context ...` and `/switchboard ...`: the core's commands, as Discord slash commands. */
const SLASH_SPECS: readonly SlashSpec[] = [
  {
    name: 'context',
    description: 'Show or edit what I remember about this channel',
    subcommands: [
      { name: 'view', description: 'Show what I remember here', options: [{ name: 'type', description: 'Only one kind of fact', choices: CONTEXT_TYPES }] },
      { name: 'forget', description: 'Forget one fact', options: [{ name: 'key', description: 'The fact key, as /context view shows it', required: true, oneWord: true }] },
      {
        name: 'set',
        description: 'Tell me a fact about this channel',
        options: [
          { name: 'type', description: 'What kind of fact', required: true, choices: CONTEXT_TYPES },
          { name: 'key', description: 'A short name for it, e.g. deploy-target', required: true, oneWord: true },
          { name: 'value', description: 'The fact itself', required: true },
        ],
      },
      { name: 'clear', description: 'Forget everything about this channel (asks first)' },
    ],
    // `context` alone views everything; the other subcommands are the core's words.
    toCore: (sub, values) => ({ name: 'context', args: [sub === 'view' ? '' : sub, ...values].filter(Boolean).join(' ') }),
  },
  {
    name: 'switchboard',
    description: 'Switchboard: tools, requests and decisions',
    subcommands: [
      { name: 'help', description: 'Commands and tools' },
      {
        name: 'run',
        description: 'Propose running a tool (needs approval)',
        options: [
          { name: 'tool', description: 'The tool name, as /switchboard help lists it', required: true },
          { name: 'args', description: 'Arguments as a JSON object, e.g. {"steps":3}' },
        ],
      },
      { name: 'approve', description: 'Approve a pending request', options: [requestId] },
      { name: 'deny', description: 'Deny a pending request', options: [requestId] },
      { name: 'cancel', description: 'Stop a running request', options: [requestId] },
      { name: 'requests', description: "This channel's recent requests" },
      { name: 'pending', description: 'What waits for your decision in this server, privately' },
      { name: 'feedback', description: "The 👍 and 👎 given on this channel's recent answers, privately" },
      { name: 'usage', description: "Today's model tokens for you and for this channel, privately" },
    ],
    toCore: (sub, values) => ({ name: sub, args: values.join(' ') }),
  },
  {
    name: 'schedule',
    description: 'Run a prompt in this channel on a clock',
    subcommands: [
      {
        name: 'add',
        description: 'Every time the cron matches, I answer the prompt in a new thread here, as you',
        options: [
          { name: 'cron', description: 'Standard 5-field cron, e.g. 0 9 * * 1-5 for 09:00 on weekdays', required: true },
          { name: 'prompt', description: 'What I should do each time', required: true },
        ],
      },
      { name: 'list', description: "This channel's schedules: id, cron, next run, owner, state" },
      { name: 'pause', description: 'Pause a schedule (its owner, or someone who may set policy)', options: [scheduleId] },
      { name: 'resume', description: 'Resume a paused schedule', options: [scheduleId] },
      { name: 'delete', description: 'Delete a schedule', options: [scheduleId] },
    ],
    // The core reads the cron in quotes: its five fields have spaces of their own.
    toCore: (sub, [first = '', ...rest]) => ({ name: 'schedule', args: sub === 'add' ? `add "${first}" ${rest.join(' ')}` : [sub, first].join(' ').trim() }),
  },
  {
    name: 'policy',
    description: 'Which tools run without asking here, and who approves them',
    subcommands: [
      { name: 'list', description: 'The rules in effect here, and where each comes from' },
      { name: 'allow', description: 'Let a tool run without asking (never a destructive one)', options: [policyTool, policyWhere] },
      { name: 'ask', description: 'Make a tool ask before it runs', options: [policyTool, policyWhere] },
      { name: 'hide', description: 'Hide a tool from the agent and from /switchboard run', options: [policyTool, policyWhere] },
      {
        name: 'approvers',
        description: 'Who may approve a tool, instead of APPROVERS',
        options: [policyTool, { name: 'who', description: 'People and roles, e.g. @ana @oncall', required: true }, policyWhere],
      },
      { name: 'reset', description: "Remove a tool's rule", options: [policyTool, policyWhere] },
      {
        name: 'budget',
        description: "This channel's daily model-token limits, or set its own",
        options: [
          { name: 'tokens', description: 'Tokens a day (50000, 50k, 2m; 0 = no limit here) or default', oneWord: true },
          { name: 'for', description: 'Each person here, or the channel as a whole (default)', choices: ['user', 'channel'] },
        ],
      },
    ],
    toCore: (sub, values) => ({ name: 'policy', args: sub === 'list' ? '' : [sub, ...values].join(' ') }),
  },
];

/** The command definitions to register (bulk overwrite), checked by discord.js's builders against Discord's limits. */
export function slashCommandDefinitions(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return SLASH_SPECS.map((spec) => {
    const command = new SlashCommandBuilder().setName(spec.name).setDescription(spec.description);
    for (const sub of spec.subcommands) {
      command.addSubcommand((builder) => {
        builder.setName(sub.name).setDescription(sub.description);
        for (const option of sub.options ?? []) {
          builder.addStringOption((o) => {
            o.setName(option.name).setDescription(option.description).setRequired(option.required ?? false);
            if (option.choices) o.addChoices(...option.choices.map((choice) => ({ name: choice, value: choice })));
            return o;
          });
        }
        return builder;
      });
    }
    return command.toJSON();
  });
}

/** The core command a slash command stands for; null when the command or subcommand is not ours. */
export function coreCommandFor(
  commandName: string,
  subcommand: string | null,
  stringOption: (name: string) => string | null,
): { name: string; args: string } | null {
  const spec = SLASH_SPECS.find((s) => s.name === commandName);
  const sub = spec?.subcommands.find((s) => s.name === subcommand);
  if (!spec || !sub) return null;
  const values = (sub.options ?? [])
    .map((o) => {
      const value = stringOption(o.name)?.trim() ?? '';
      return o.oneWord ? value.replace(/\s+/g, '_') || '_' : value;
    })
    .filter(Boolean);
  return spec.toCore(sub.name, values);
}
