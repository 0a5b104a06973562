/** How a chain of messages reaches the platform: each call returns once the platform took it. */
export interface ChainCalls {
  /** Posts a new message showing `piece` (`last`: the chain's last for now); returns its id. */
  post(piece: string, last: boolean): Promise<string>;
  /** Replaces what message `id` shows with `piece` (`last`: the chain's last for now). */
  edit(id: string, piece: string, last: boolean): Promise<void>;
}

/**
 * A growing text shown as a chain of messages, one per piece the platform's renderer cuts it
 * into (so a long text continues in the next message). Each `show` edits the messages whose
 * piece changed (as the text grows, usually just the last) and posts the new ones. A piece
 * is remembered only once the platform took it, so a `show` that failed half way can be
 * made again and sends only what is still missing.
 */
export class MessageChain {
  private readonly shown: { readonly id: string; piece: string }[] = [];

  constructor(
    /** The text as the messages to show it, e.g. an adapter's own renderer for a new text. */
    private readonly render: (text: string) => string[],
    private readonly calls: ChainCalls,
  ) {}

  /** The first message's id, once one is posted. */
  get firstId(): string | undefined {
    return this.shown[0]?.id;
  }


  /** Shows `text`; `touchLast` edits the last message even when its piece is unchanged (its calls may now render it differently). */
  async show(text: string, touchLast = false): Promise<void> {
    const pieces = this.render(text);
    for (const [i, piece] of pieces.entries()) {
      const message = this.shown[i];
      const last = i === pieces.length - 1;
      if (!message) {
        this.shown.push({ id: await this.calls.post(piece, last), piece });
      } else if (message.piece !== piece || (last && touchLast)) {
        await this.calls.edit(message.id, piece, last);
        message.piece = piece;
      }
    }
  }
}
