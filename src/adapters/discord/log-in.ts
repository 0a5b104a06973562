import { once } from 'node:events';
import { DiscordjsErrorCodes, Events, GatewayCloseCodes, type Client, type CloseEvent } from 'discord.js';
import { ConfigError, type SwitchboardError } from '../../core/errors';
import { platformError } from './platform-errors';

const ignore = () => undefined;

/**
 * Logs in and waits for `clientReady`: guilds are cached only once the gateway has sent
 * them, after `login()` resolves. A refused token or intent ends start-up with a message
 * that says what to fix, instead of a gateway that silently never gets ready.
 */
export async function logIn(client: Client, token: string, timeoutMs: number): Promise<void> {
  const done = new AbortController();
  const signal = AbortSignal.any([done.signal, AbortSignal.timeout(timeoutMs)]);
  const ready = once(client, Events.ClientReady, { signal }).then(() => null);
  // discord.js emits shardDisconnect only for close codes it will not reconnect after.
  const refused = once(client, Events.ShardDisconnect, { signal }).then(([event]) => event as CloseEvent);
  try {
    await client.login(token);
    const closed = await Promise.race([ready, refused]);
    if (closed) throw closed;
  } catch (error) {
    throw startError(error, timeoutMs);
  } finally {
    done.abort();
    ready.catch(ignore);
    refused.catch(ignore);
  }
}

function startError(error: unknown, timeoutMs: number): SwitchboardError {
  const code = (error as { code?: unknown }).code;
  if (code === DiscordjsErrorCodes.TokenInvalid || code === GatewayCloseCodes.AuthenticationFailed) {
    return new ConfigError('invalid_variable', 'DISCORD_TOKEN: Discord refused the token', { variable: 'DISCORD_TOKEN' });
  }
  if (code === GatewayCloseCodes.DisallowedIntents) {
    return new ConfigError(
      'discord_intents',
      'Discord refused the Message Content intent: enable it under Bot → Privileged Gateway Intents in the Developer Portal (docs/discord.md)',
    );
  }
  if (error instanceof Error && error.name === 'TimeoutError') {
    return platformError(error, `log in: the gateway was not ready within ${timeoutMs} ms`);
  }
  return platformError(error, 'log in');
}
