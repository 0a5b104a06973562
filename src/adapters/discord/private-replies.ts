import { MessageFlags, type ButtonInteraction, type ChatInputCommandInteraction, type ModalSubmitInteraction } from 'discord.js';
import type { PrivateReply } from '../../core/ports/chat-platform';
import { discordCall } from './platform-errors';
import { renderMessage, type DiscordContent } from './render-message';

/**
 * How an interaction was first answered: a deferred (ephemeral) reply, a deferred update of
 * the clicked message, or not yet (a click that was to open a form, and did not).
 */
export type FirstAnswer = 'reply' | 'update' | 'none';

/**
 * Answers the person behind one interaction, visibly to them alone: the deferred reply first
 * where there is one, ephemeral follow-ups after. Interaction tokens live 15 minutes, so long
 * runs report through channel messages. docs/development.md, "Private answers on Discord".
 */
export class PrivateReplies {
  private filledFirst = false;

  constructor(
    private readonly interaction: ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction,
    private readonly first: FirstAnswer,
  ) {}

  readonly reply: PrivateReply = async (message) => {
    await this.send(renderMessage(message));
  };

  /** Removes the "thinking…" placeholder of a command that said nothing privately (e.g. a run whose card went to the channel). */
  async finish(): Promise<void> {
    if (this.first === 'reply' && !this.filledFirst) await discordCall('delete deferred reply', () => this.interaction.deleteReply());
  }

  private async send({ content, embeds, components }: DiscordContent): Promise<void> {
    const body = { content, embeds, components };
    if (this.first !== 'update' && !this.filledFirst) {
      this.filledFirst = true;
      if (this.first === 'reply') await discordCall('edit deferred reply', () => this.interaction.editReply(body));
      else await discordCall('reply privately', () => this.interaction.reply({ ...body, flags: MessageFlags.Ephemeral }));
      return;
    }
    await discordCall('send ephemeral follow-up', () => this.interaction.followUp({ ...body, flags: MessageFlags.Ephemeral }));
  }
}
