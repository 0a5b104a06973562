import type { types } from '@slack/bolt';
import type { OutboundMessage } from '../../core/model/card';
import type { ThreadRef } from '../../core/model/conversation';
import type { Core } from '../../core/ports/inbound';
import type { Logger } from '../../logging/logger';
import type { BackgroundWork } from './background-work';
import type { SlackDirectory } from './slack-directory';

/**
 * What the listeners hand work to. In a file of its own, importing none of the listener
 * files that use it, so that listeners.ts can import the form and Home listeners without a circle.
 */
export interface ListenerDeps {
  readonly core: Core;
  readonly directory: SlackDirectory;
  /** Posts an ephemeral note (the adapter's `ephemeral`). */
  readonly ephemeral: (where: ThreadRef, userId: string, message: OutboundMessage) => Promise<void>;
  /** Opens a modal for the click that gave `triggerId` (views.open). */
  readonly openModal: (triggerId: string, view: types.ModalView) => Promise<void>;
  readonly work: BackgroundWork;
  readonly log: Logger;
}
