import { text } from '../model/card';
import { conversationOf, type Person, type ThreadRef } from '../model/conversation';
import type { StoredMessage } from '../model/message';
import type { PrivateReply } from '../ports/chat-platform';
import type { WiredDeps } from '../core-deps';
import { isApprover } from '../approvals/decision-policy';
import type { RunCancel } from '../runs/run-cancel';
import type { TurnClaims } from './turn-claims';

/** What a person who may not stop an answer is told. */
const MAY_NOT_STOP_ANSWER = 'Only the person who asked, or an approver, can stop this answer.';

/**
 * A person's Stop on a thread (Slack's native Stop): runs there are cancelled and an answer
 * being written is marked stopped, each by one conditional statement, so a second Stop finds
 * nothing left. Who may stop is who may cancel; anyone else is told privately.
 * docs/development.md, "Stop on a thread".
 */
export class ThreadStop {
  constructor(
    private readonly deps: WiredDeps,
    private readonly parts: { cancel: RunCancel; claims: TurnClaims },
  ) {}

  async stop(where: ThreadRef, user: Person, reply: PrivateReply): Promise<void> {
    const log = this.deps.log.child({ ...where, userId: user.id });
    const [runs, turns] = await Promise.all([this.deps.runs.liveRunsIn(where), this.deps.messages.turnsInProgress(where)]);
    const refusals: string[] = [];
    let stopped = 0;
    for (const run of runs) {
      const outcome = await this.parts.cancel.cancelRun(run, user, { via: 'click', where, messageId: where.thread });
      if (outcome.kind === 'refused') refusals.push(outcome.why);
      else if (outcome.kind !== 'over') stopped += 1;
    }
    const approver = turns.some((t) => t.author.id !== user.id) ? await this.isApprover(where, user) : false;
    for (const turn of turns) {
      if (!this.mayStop(turn, user, approver)) refusals.push(MAY_NOT_STOP_ANSWER);
      else if (await this.deps.messages.stopTurn(turn.id)) stopped += 1;
    }
    // An answer this process writes stops now rather than at the next renewal.
    if (turns.length > refusals.length) await this.parts.claims.renewNow();
    log.info({ runs: runs.length, turns: turns.length, stopped, refused: refusals.length }, 'thread stop');
    if (refusals.length === 0) return;
    // The work goes on, and the thread says so (the platform leaves the status to the bot).
    this.deps.sessions.show(where, 'processing');
    await reply(text(refusals[0]!));
  }

  private mayStop(turn: StoredMessage, user: Person, approver: boolean): boolean {
    return turn.author.id === user.id || approver;
  }

  private async isApprover(where: ThreadRef, user: Person): Promise<boolean> {
    const { policy } = this.deps.settings;
    const authority = await this.deps.platforms.get(where.platform).authority(conversationOf(where), user.id, policy.approvers);
    return isApprover(user, authority, policy);
  }
}
