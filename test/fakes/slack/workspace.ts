/**
 * The fixed identities of the fake workspace, shared by the Web API answers and the inbound
 * payload builders so that what Bolt learns from auth.test matches what events claim.
 */

/** The fake workspace's ids: the bot user `U_BOT`, bot `B_BOT`, team `T1`, app `A_APP`. */
export const FAKE_WORKSPACE = {
  teamId: 'T1',
  teamName: 'Fake Team',
  teamDomain: 'fake-team',
  botUserId: 'U_BOT',
  botId: 'B_BOT',
  botName: 'switchboard',
  appId: 'A_APP',
  // Slack still sends the deprecated verification token in payloads; Bolt ignores it.
  verificationToken: 'fake-verification-token',
} as const;

/** Makes Slack-style message timestamps ("1700000000.000100"): unique, increasing, fixed width so they also sort as strings. */
export function tsSequence(startSeconds: number, stepMicros = 100): () => string {
  let micros = 0;
  return () => {
    micros += stepMicros;
    const seconds = startSeconds + Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, '0')}`;
  };
}
