import type { Platform } from '../model/conversation';
import type { ChatPlatform } from './chat-platform';
import { SystemError } from '../errors';

/** The platforms this process can talk to, by name. A request is answered on the platform it came from. */
export class PlatformDirectory {
  private readonly byName = new Map<Platform, ChatPlatform>();

  register(platform: ChatPlatform): void {
    this.byName.set(platform.platform, platform);
  }

  get(name: Platform): ChatPlatform {
    const platform = this.byName.get(name);
    if (!platform) throw new SystemError('platform_not_connected', `this process has no ${name} adapter`, { platform: name });
    return platform;
  }
}
