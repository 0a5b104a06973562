import { Client } from 'pg';

/**
 * The text of every statement sent to Postgres while `work` runs, by any pool: each goes
 * through node-postgres's Client#query, counted on its way, then sent as it was.
 */
export async function statementsSentBy(work: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const query = Client.prototype.query as (...args: unknown[]) => unknown;
  const spy = jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client, ...args: unknown[]) {
    const statement = args[0] as string | { text?: string };
    sent.push(typeof statement === 'string' ? statement : (statement.text ?? ''));
    return query.apply(this, args);
  } as never);
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return sent;
}
