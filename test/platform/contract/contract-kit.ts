/** Helpers of the adapter contract suite: the model's answers, and rows read straight from Postgres. */
import type { ConversationRef } from '../../../src/core/model/conversation';
import { chatAnswer, type FakeOpenAi } from '../../fakes/fake-openai';
import { rows } from '../../support/db-rows';
import type { TestDatabase } from '../../support/test-database';

/** The model answers the next message it reads with `reply`. Every model answer of the suite goes through here. */
export function replyWith(llm: FakeOpenAi, reply: string): void {
  llm.script('chat', chatAnswer(reply));
}

const IN_CONVERSATION = 'c.platform = ? and c.workspace_id = ? and c.channel_id = ?';
const conversationParams = (where: ConversationRef) => [where.platform, where.workspace, where.channel];

/** How many times a person's message with this text is stored in the conversation. */
export async function storedTimes(db: TestDatabase, where: ConversationRef, text: string): Promise<number> {
  const found = await rows(
    db.orm,
    `select m.id from message m join conversation c on c.id = m.conversation_id where ${IN_CONVERSATION} and m.role = 'user' and m.text = ?`,
    [...conversationParams(where), text],
  );
  return found.length;
}

/** The facts remembered about the conversation's channel, by key. */
export function storedFacts(db: TestDatabase, where: ConversationRef): Promise<{ key: string; value: unknown }[]> {
  return rows(
    db.orm,
    `select x.context_key as key, x.context_value as value from conversation_context x join conversation c on c.id = x.conversation_id
     where ${IN_CONVERSATION} order by x.context_key`,
    conversationParams(where),
  );
}

/** How the run of a request ended (or where it stands), found by the request id its card shows. */
export async function runStatus(db: TestDatabase, cardText: string): Promise<string | undefined> {
  const id = /\bid ([0-9a-f-]{36})\b/.exec(cardText)?.[1];
  if (!id) throw new Error(`no request id in the card: ${cardText}`);
  const [row] = await rows<{ status: string }>(db.orm, `select r.status from agent_request q join agent_run r on r.id = q.run_id where q.id = ?`, [id]);
  return row?.status;
}
