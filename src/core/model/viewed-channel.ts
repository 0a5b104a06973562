/**
 * The channel a person has open beside their private assistant thread with the bot (Slack's
 * assistant panel follows them around the workspace). A turn's prompt names it, nothing more:
 * its history and facts belong to that channel's own conversation and never reach this one.
 */
export interface ViewedChannel {
  readonly workspace: string;
  readonly channel: string;
}
