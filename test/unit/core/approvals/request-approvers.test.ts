/**
 * Whom reminders and approver notices go to (approversToNotify): the approvers deciding resolves
 * from the tools' rules or APPROVERS, groups expanded to their members (capped), only people
 * every tool of the request allows, and not the requester of a destructive request under four eyes.
 */
import { approversToNotify, MAX_GROUP_MEMBERS } from '../../../../src/core/approvals/request-approvers';
import type { ConversationRef, ThreadRef } from '../../../../src/core/model/conversation';
import { PolicyCache } from '../../../../src/core/policy/policy-cache';
import { PlatformDirectory } from '../../../../src/core/ports/platforms';
import { memoryLogger } from '../../../support/core-harness';
import { createMemoryStores } from '../../../support/memory-stores';
import { RecordingPlatform } from '../../../support/recording-platform';

/** A platform whose user groups have members; `S_BROKEN` cannot be listed. */
class GroupPlatform extends RecordingPlatform {
  readonly members = new Map<string, string[]>([['S_ONCALL', ['U_ANA', 'U_CY']]]);
  async groupMembers(_where: ConversationRef, groupId: string): Promise<readonly string[] | null> {
    if (groupId === 'S_BROKEN') throw new Error('usergroups.users.list failed');
    return groupId.startsWith('S_') ? (this.members.get(groupId) ?? []) : null;
  }
}

const where: ThreadRef = { platform: 'slack', workspace: 'T1', channel: 'C1', thread: '1.0' };
const admin = { id: 'U_ADMIN', name: 'admin' };

async function setup(envApprovers: string[], rules: { tool: string; approvers?: string[]; fourEyes?: boolean }[] = []) {
  const stores = createMemoryStores();
  for (const rule of rules) {
    await stores.policyRules.setRule({ platform: 'slack', workspace: 'T1', channel: 'C1', tool: rule.tool, set: { approvers: rule.approvers, fourEyes: rule.fourEyes }, by: admin });
  }
  const { log, lines } = memoryLogger();
  const platform = new GroupPlatform('slack');
  const deps = {
    policyCache: new PolicyCache(stores.policyRules, log),
    platforms: new PlatformDirectory(new Map([['slack', platform]])),
    log,
    settings: { policy: { approvers: envApprovers, fourEyes: false } },
  };
  const notify = (tools: string[], more: { destructive?: boolean; requester?: string } = {}) =>
    approversToNotify(deps, { id: 'r1', where, calls: tools.map((tool) => ({ tool })), destructive: more.destructive ?? false, requestedBy: { id: more.requester ?? 'U_ASKER' } });
  return { notify, platform, lines };
}

describe('who is told to decide a request', () => {
  it('is APPROVERS where no rule covers the tool, a group in it expanded to its members once each', async () => {
    const { notify } = await setup(['U_ANA', 'U_BO', 'S_ONCALL']);
    expect(await notify(['countdown'])).toEqual(['U_ANA', 'U_BO', 'U_CY']);
  });

  it("is a rule's group members instead of APPROVERS", async () => {
    const { notify } = await setup(['U_BO'], [{ tool: 'drop_table', approvers: ['S_ONCALL'] }]);
    expect(await notify(['drop_table'])).toEqual(['U_ANA', 'U_CY']);
  });

  it('is only the people every tool of the request allows', async () => {
    const { notify } = await setup(['U_ANA', 'U_BO'], [{ tool: 'drop_table', approvers: ['S_ONCALL'] }]);
    expect(await notify(['drop_table', 'countdown', 'drop_table'])).toEqual(['U_ANA']);
  });

  it('is nobody when a tool is decided by workspace admins, whom no list names', async () => {
    const { notify } = await setup([], [{ tool: 'drop_table', approvers: ['S_ONCALL'] }]);
    expect(await notify(['countdown'])).toEqual([]);
    expect(await notify(['drop_table', 'countdown'])).toEqual([]);
  });

  it("leaves out a destructive request's requester when a rule wants four eyes, and not otherwise", async () => {
    const { notify } = await setup(['U_BO'], [{ tool: 'drop_table', approvers: ['S_ONCALL'], fourEyes: true }]);
    expect(await notify(['drop_table'], { destructive: true, requester: 'U_ANA' })).toEqual(['U_CY']);
    expect(await notify(['drop_table'], { destructive: false, requester: 'U_ANA' })).toEqual(['U_ANA', 'U_CY']);
  });

  it(`messages at most ${MAX_GROUP_MEMBERS} members of one group, and logs that it did`, async () => {
    const { notify, platform, lines } = await setup(['S_BIG']);
    platform.members.set('S_BIG', Array.from({ length: MAX_GROUP_MEMBERS + 5 }, (_, i) => `U_${i}`));
    const told = await notify(['countdown']);
    expect(told).toHaveLength(MAX_GROUP_MEMBERS);
    expect(told[0]).toBe('U_0');
    expect(lines().find((l) => l.msg === 'approver group too large; only its first members are messaged')).toMatchObject({ group: 'S_BIG', members: MAX_GROUP_MEMBERS + 5 });
  });

  it('still tells the others when one group cannot be listed', async () => {
    const { notify, lines } = await setup(['S_BROKEN', 'U_BO']);
    expect(await notify(['countdown'])).toEqual(['U_BO']);
    expect(lines().some((l) => l.group === 'S_BROKEN' && l.level === 40)).toBe(true);
  });
});
