import type { MikroORM } from '@mikro-orm/postgresql';
import type { Button, OutboundMessage } from '../../../src/core/model/card';
import type { ContextType } from '../../../src/core/model/context-fact';
import type { ConversationRef } from '../../../src/core/model/conversation';
import { chatAnswer, toolAnswer, type FakeAnswer, type FakeOpenAi } from '../../fakes/fake-openai';
import { rows } from '../../support/db-rows';

/** A fact as the model proposes it to `remember`. */
export interface ProposedFact {
  type: ContextType;
  key: string;
  value: string;
  confidence?: number;
}

/** The model's answer of a turn: `words`, and a call to `remember` with these facts. */
export function rememberAnswer(words: string, ...facts: ProposedFact[]): FakeAnswer {
  return toolAnswer([{ name: 'remember', args: { facts: facts.map((f) => ({ contextType: f.type, key: f.key, value: f.value, confidence: f.confidence ?? 0.9 })) } }], words);
}

/** Unscripted calls answer harmlessly, remembering nothing. */
export function quietFallback(llm: FakeOpenAi): void {
  llm.fallback(() => chatAnswer('ok'));
}

export interface FactRow {
  context_type: string;
  context_key: string;
  context_value: unknown;
  source: string;
  learned_from: string | null;
  source_message_id: string | null;
  created_at: string;
  updated_at: string;
}

/** The facts Postgres holds for one conversation, by key. */
export function factRows(orm: MikroORM, c: ConversationRef): Promise<FactRow[]> {
  return rows<FactRow>(
    orm,
    `select x.context_type, x.context_key, x.context_value, x.source, x.learned_from, x.source_message_id, x.created_at, x.updated_at
     from conversation_context x join conversation c on c.id = x.conversation_id
     where c.platform = ? and c.workspace_id = ? and c.channel_id = ? order by x.context_key`,
    [c.platform, c.workspace, c.channel],
  );
}

/** Waits until `condition` holds, checking every 10 ms; fails after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The buttons of a message's card (none when it has no actions row). */
export function buttonsOf(message: OutboundMessage): readonly Button[] {
  return message.card?.elements.flatMap((e) => (e.type === 'actions' ? e.buttons : [])) ?? [];
}
