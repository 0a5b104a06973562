import type { CardElement } from './card';
import type { Platform } from './conversation';

/** One person on a platform, in one workspace: whose home view, whose direct messages. */
export interface UserRef {
  readonly platform: Platform;
  readonly workspace: string;
  readonly userId: string;
}

/**
 * A person's own page in the app (Slack App Home): a title, an optional note (the answer to
 * their last click there), then sections of items. The renderer shows as many items as the
 * platform's limits allow and says how many more each section has.
 */
export interface HomeView {
  readonly title: string;
  readonly note: string | null;
  readonly sections: readonly HomeSection[];
}

export interface HomeSection {
  readonly heading: string;
  /** Shown when the section has no items. */
  readonly empty: string;
  /** Each item is a few card elements (text, small print, buttons) kept together. */
  readonly items: readonly (readonly CardElement[])[];
  /** Items the store had beyond `items`; the renderer adds what it had to leave out. */
  readonly more: number;
}
