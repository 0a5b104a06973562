import { startFakeOpenAi, type FakeOpenAi } from '../fakes/fake-openai';
import { createTestDatabase, type TestDatabase } from './test-database';

/** What {@link useDatabaseAndModel} provides; read the fields inside tests, once beforeAll has run. */
export interface DatabaseAndModel {
  readonly db: TestDatabase;
  readonly llm: FakeOpenAi;
}

/**
 * A database of its own and a fake OpenAI for one test file: opened in beforeAll, closed
 * in afterAll. Call it at the top of the file.
 */
export function useDatabaseAndModel(): DatabaseAndModel {
  const services = {} as { db: TestDatabase; llm: FakeOpenAi };
  beforeAll(async () => {
    [services.db, services.llm] = await Promise.all([createTestDatabase(), startFakeOpenAi()]);
  });
  afterAll(async () => {
    await services.llm?.close();
    await services.db?.close();
  });
  return services;
}
