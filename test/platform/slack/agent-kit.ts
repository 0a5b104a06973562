/**
 * What the tests of Slack's agent experience share: a tool that holds until released or
 * cancelled (a call in flight), and the session statuses a thread showed.
 */
import { z } from 'zod';
import type { Tool } from '../../../src/core/ports/tools';
import { defineTool } from '../../../src/tools/define-tool';
import { eventually, type SlackHarness } from './slack-harness';

/** A read-only tool that runs until `release()`, or until its run is cancelled (its signal aborts). */
export interface HeldTool {
  readonly tool: Tool;
  /** Resolves once the next call starts running; ask before making the call. */
  nextStart(): Promise<void>;
  /** Lets the running call finish. */
  release(): void;
  /** How each call ended: `released` or `aborted`. */
  readonly ends: string[];
}

export function heldTool(name = 'hold'): HeldTool {
  const waiting: (() => void)[] = [];
  let release: () => void = () => undefined;
  const ends: string[] = [];
  const tool = defineTool({
    name,
    description: 'Holds until released',
    input: z.object({}),
    readOnly: true,
    async execute(_args, ctx) {
      const held = new Promise<void>((resolve, reject) => {
        release = resolve;
        ctx.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      });
      for (const started of waiting.splice(0)) started();
      try {
        await held;
        ends.push('released');
        return { text: 'held and released' };
      } catch (error) {
        ends.push('aborted');
        throw error;
      }
    },
  });
  return { tool, nextStart: () => new Promise<void>((resolve) => waiting.push(resolve)), release: () => release(), ends };
}

/** Read-only tools run without a card. */
export const AUTO_RUN_READ_ONLY = { autoRun: { readOnlyEverywhere: true, rules: [] } };

/** Waits until the thread's session shows `statuses` (in full, in order) and returns them. */
export async function sessionShows(h: SlackHarness, channel: string, threadTs: string, statuses: string[]): Promise<string[]> {
  await eventually(() => (JSON.stringify(h.slack.sessionStatuses(channel, threadTs)) === JSON.stringify(statuses) ? true : undefined), 10_000).catch(() => undefined);
  return h.slack.sessionStatuses(channel, threadTs);
}
