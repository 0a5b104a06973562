import type { Platform } from '../model/conversation';
import type { ChatPlatform } from './chat-platform';
import { SystemError } from '../errors';

/** Wraps a platform, e.g. in the outbound rate budget. */
export type PlatformDecorator = (platform: ChatPlatform) => ChatPlatform;

/** The platforms this process can talk to, by name. A request is answered on the platform it came from. */
export class PlatformDirectory {
  private readonly wrapped = new WeakMap<ChatPlatform, ChatPlatform>();

  constructor(
    private readonly byName = new Map<Platform, ChatPlatform>(),
    private readonly decorate: PlatformDecorator | null = null,
  ) {}

  register(platform: ChatPlatform): void {
    this.byName.set(platform.platform, platform);
  }

  /** The platforms registered so far. */
  names(): Platform[] {
    return [...this.byName.keys()];
  }

  get(name: Platform): ChatPlatform {
    const platform = this.byName.get(name);
    if (!platform) throw new SystemError('platform_not_connected', `this process has no ${name} adapter`, { platform: name });
    if (!this.decorate) return platform;
    let wrapped = this.wrapped.get(platform);
    if (!wrapped) {
      wrapped = this.decorate(platform);
      this.wrapped.set(platform, wrapped);
    }
    return wrapped;
  }

  /**
   * The same registrations (including later ones) seen through `decorate`, applied once
   * per platform. The core uses this so that all its traffic goes through one wrapper.
   */
  decorated(decorate: PlatformDecorator): PlatformDirectory {
    return new PlatformDirectory(this.byName, decorate);
  }
}
