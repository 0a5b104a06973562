/**
 * Files on Discord messages (the file intake contract), through the real discord.js client
 * against the fake Discord, which serves attachments from its own origin as the CDN would.
 */
import type { APIAttachment } from 'discord.js';
import { FAKE_DISCORD_IDS } from '../../fakes/fake-discord';
import { fileIntakeContract, FILE_TEST_SETTINGS, type FileDriver } from '../files/file-intake-contract';
import { startDiscordWorld, type DiscordWorld } from './discord-world';

const channelId = FAKE_DISCORD_IDS.channel;

let world: DiscordWorld;
let driver: FileDriver;
beforeAll(async () => {
  world = await startDiscordWorld({ settings: FILE_TEST_SETTINGS });
  driver = {
    db: world.db,
    llm: world.llm,
    host: (input) => {
      const posted = world.fake.attachFile({ ...input, channelId });
      return { ...posted, ref: posted.attachment, id: posted.attachment.id };
    },
    foreignRef: ({ name, type, size, url }) => ({ id: '1234', filename: name, content_type: type, size, url, proxy_url: url }),
    send: async (content, refs) => world.fake.messageCreate({ content, mentionsBot: true, attachments: refs as APIAttachment[] }).id,
  };
});
afterAll(async () => {
  await world?.stop();
});

fileIntakeContract('Discord', () => driver);
