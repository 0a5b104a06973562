/**
 * Fake Slack for tests: a recording Web API server (outbound side) and a signed-request sender
 * with realistic payload builders (inbound side). The pieces live in ./slack/, one job per file.
 */
export { startFakeSlack, type FakeSlack, type ScriptedFailure } from './slack/web-api-server';
export type { FakeSlackOptions } from './slack/web-api-methods';
export type { FakeSharedFile } from './slack/file-methods';
export type { FakeChannelSpec } from './slack/channel-methods';
export type { FakeSlackCall } from './slack/call-log';
export type { SharedSlackFile, ShareFileInput } from './slack/shared-files';
export { STREAM_TEXT_LIMIT, type FakeStream } from './slack/stream-methods';
export { SESSION_STATUSES, NO_STOP_SUBSCRIPTION, type FakeSession, type FakeSessionSupport } from './slack/session-methods';
export { SLACK_LIMITS, blockProblems, checkMessageContent } from './slack/block-kit-checks';
export {
  sendEvent,
  sendInteraction,
  sendCommand,
  sendSigned,
  slackSignature,
  type SignedRequestOptions,
  type SignedResponse,
} from './slack/signed-requests';
export {
  appMentionEvent,
  messageEvent,
  blockActionPayload,
  viewSubmissionPayload,
  slashCommand,
  appHomeOpenedEvent,
  agentSessionStoppedEvent,
  type SessionStoppedInput,
  assistantThreadEvent,
  type AssistantThreadInput,
  homeBlockActionPayload,
  UNROUTABLE_RESPONSE_URL,
  type MessageEventInput,
  type PlainMessageInput,
  type BlockActionInput,
  type ViewSubmissionInput,
  type SlashCommandInput,
  type HomeActionInput,
} from './slack/payloads';
export { FAKE_WORKSPACE } from './slack/workspace';
export { MODAL_LIMITS, TRIGGER_LIFETIME_MS } from './slack/view-checks';
