/**
 * Policy on Discord through real discord.js against the fake Discord (docs/policy.md): a
 * Manage Server member's "Always allow here" runs the request and stores the channel's rule,
 * Undo removes it, a member's forged click is refused in an ephemeral reply, and a role as a
 * tool's approvers replaces APPROVERS.
 */
import { ApplicationCommandOptionType, MessageFlags, type APIMessageComponentButtonInteraction, type RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import { z } from 'zod';
import { ALWAYS_ALLOW_ACTION, APPROVE_ACTION, UNDO_RULE_ACTION } from '../../../src/core/model/action-ids';
import { countdownTool } from '../../../src/tools/countdown';
import { defineTool } from '../../../src/tools/define-tool';
import { FAKE_DISCORD_IDS, FakeRoute } from '../../fakes/fake-discord';
import { defaultGuild } from '../../fakes/discord/options';
import { chatAnswer, requestAnswer } from '../../fakes/fake-openai';
import { rows } from '../../support/db-rows';
import { eventually, startDiscordWorld, type DiscordWorld } from './discord-world';

const ids = FAKE_DISCORD_IDS;
type Body = RESTPostAPIChannelMessageJSONBody & { flags?: number };
type Row = { components?: { custom_id?: string }[] }[];
const ONCALL_ROLE = '400000000000000077';
const OLGA = '500000000000000077';

const dropTable = defineTool({ name: 'drop_table', description: 'Drops a table', input: z.object({ table: z.string() }), destructive: true, execute: async ({ table }) => ({ text: `dropped ${table}` }) });

let world: DiscordWorld;
beforeAll(async () => {
  const guild = defaultGuild();
  guild.roles = [...(guild.roles ?? []), { id: ONCALL_ROLE, name: 'oncall', permissions: 0n }];
  guild.members = [...(guild.members ?? []), { id: OLGA, username: 'olga', globalName: 'Olga', roles: [ONCALL_ROLE] }];
  world = await startDiscordWorld({
    tools: [countdownTool, dropTable],
    fake: { guilds: [guild] },
    settings: { policy: { approvers: [ids.moderator], fourEyes: false, policyAdmins: [] } },
  });
});
afterAll(() => world?.stop());
afterEach(() => world.harness.queue.drain());
beforeEach(() => {
  world.fake.clearCalls();
  world.llm.reset();
});

const rules = () => rows<{ tool: string; run: string | null; set_by_id: string }>(world.db.orm, `select tool, run, set_by_id from policy_rule order by tool`);
const customIdsOf = (components: unknown) => ((components ?? []) as Row).flatMap((row) => (row.components ?? []).map((c) => c.custom_id ?? ''));
/** The first message posted with a button whose custom_id starts with `action`. */
const postedWith = (action: string) =>
  eventually(() => {
    const found = world.fake.callsTo<Body>('POST', FakeRoute.channelMessages).find((c) => customIdsOf(c.body.components).some((id) => id.startsWith(action)));
    if (!found) throw new Error(`nothing posted with ${action}`);
    return found;
  });
const cardPosts = () => world.fake.callsTo<Body>('POST', FakeRoute.channelMessages).filter((c) => c.body.embeds?.[0]?.title?.includes('needs approval'));

/** Alice asks for `tool`; the model proposes it, then says it is done. */
async function ask(tool: 'countdown' | 'drop_table') {
  world.llm.script('chat', requestAnswer(tool, [{ tool, args: tool === 'countdown' ? { steps: 1, delayMs: 0 } : { table: 'users' } }]), chatAnswer(`${tool} done`));
  world.fake.messageCreate({ content: `please ${tool}`, mentionsBot: true, author: ids.member });
}

async function slashPolicy(sub: string, values: Record<string, string>, user: string): Promise<string> {
  const options = [{ type: ApplicationCommandOptionType.Subcommand as const, name: sub, options: Object.entries(values).map(([name, value]) => ({ type: ApplicationCommandOptionType.String as const, name, value })) }];
  world.fake.commandInteraction({ name: 'policy', options, user });
  const [edit] = await world.fake.waitForCalls<Body>({ method: 'PATCH', route: FakeRoute.originalResponse });
  world.fake.clearCalls();
  return String(edit!.body.content);
}

describe('policy on Discord', () => {
  it("a Manage Server member's Always allow here runs the request and stores the rule; the next call runs without a card; Undo restores asking", async () => {
    await ask('countdown');
    const request = await world.nextCard();
    const card = await postedWith(ALWAYS_ALLOW_ACTION);
    const always = customIdsOf(card.body.components).find((id) => id.startsWith(ALWAYS_ALLOW_ACTION))!;
    expect(always.length).toBeLessThanOrEqual(100);

    world.fake.buttonInteraction({ customId: always, message: request.platform_message_id, user: ids.moderator });

    await eventually(async () => expect((await world.requests()).find((r) => r.id === request.id)?.run_status).toBe('succeeded'), 8000);
    expect(await rules()).toEqual([{ tool: 'countdown', run: 'auto', set_by_id: ids.moderator }]);
    const notice = await postedWith(UNDO_RULE_ACTION);
    expect(JSON.stringify(notice.body)).toContain('@Morgan let `countdown` run without asking in this channel');
    const undo = customIdsOf(notice.body.components).find((id) => id.startsWith(UNDO_RULE_ACTION))!;
    const noticeId = (notice.response as { id: string }).id;

    world.fake.clearCalls();
    await ask('countdown');
    await eventually(() => expect(world.fake.callsTo<Body>('POST', FakeRoute.channelMessages).some((c) => JSON.stringify(c.body).includes('countdown done'))).toBe(true), 8000);
    expect(cardPosts()).toEqual([]);

    world.fake.buttonInteraction({ customId: undo, message: noticeId, user: ids.moderator });
    await eventually(async () => expect(await rules()).toEqual([]));
    await ask('countdown');
    expect((await world.nextCard()).id).not.toBe(request.id);
  });

  it("a member's forged Always allow is refused in an ephemeral reply: nothing approved, no rule", async () => {
    await ask('countdown');
    const request = await world.nextCard();
    const always = `${ALWAYS_ALLOW_ACTION}:${request.id}.${request.plan_hash}:${request.card_token}`;

    const click = world.fake.buttonInteraction({ customId: always, message: request.platform_message_id, user: ids.member });

    const [followUp] = await world.fake.waitForCalls<Body>({ method: 'POST', route: FakeRoute.webhook });
    expect(followUp?.body.flags).toBe(MessageFlags.Ephemeral);
    expect(followUp?.body.content).toContain('Only a workspace admin or someone in POLICY_ADMINS');
    expect((click.payload as APIMessageComponentButtonInteraction).member?.user.id).toBe(ids.member);
    expect((await world.requests()).find((r) => r.id === request.id)?.request_status).toBe('pending');
    expect(await rules()).toEqual([]);
  });

  it('a destructive card has no Always allow; /policy allow on it is refused; a role as approvers lets its member approve and not the environment approver', async () => {
    expect(await slashPolicy('allow', { tool: 'drop_table' }, ids.moderator)).toContain('`drop_table` is destructive');
    const set = await slashPolicy('approvers', { tool: 'drop_table', who: `<@&${ONCALL_ROLE}>` }, ids.moderator);
    expect(set).toContain(`made ${ONCALL_ROLE} the approvers of \`drop_table\``);
    await ask('drop_table');
    const request = await world.nextCard();
    const card = await postedWith(APPROVE_ACTION);
    expect(customIdsOf(card.body.components).some((id) => id.startsWith(ALWAYS_ALLOW_ACTION))).toBe(false);
    const approve = customIdsOf(card.body.components).find((id) => id.startsWith(APPROVE_ACTION))!;

    world.fake.buttonInteraction({ customId: approve, message: request.platform_message_id, user: ids.moderator });
    const [refusal] = await world.fake.waitForCalls<Body>({ method: 'POST', route: FakeRoute.webhook });
    expect(refusal?.body).toMatchObject({ flags: MessageFlags.Ephemeral, content: expect.stringContaining('only an approver can approve it') });
    expect((await world.requests()).find((r) => r.id === request.id)?.request_status).toBe('pending');

    world.fake.buttonInteraction({ customId: approve, message: request.platform_message_id, user: OLGA });
    await eventually(async () => expect((await world.requests()).find((r) => r.id === request.id)?.request_status).toBe('approved'));
  });
});
