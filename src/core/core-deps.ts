import type { Logger } from '../logging/logger';
import type { ApprovalPolicy } from './model/approval-policy';
import type { Clock } from './ports/clock';
import type { ExecutionQueue } from './ports/execution-queue';
import type { LanguageModel } from './ports/language-model';
import type { PlatformDirectory } from './ports/platforms';
import type { ContextStore, MessageStore, RequestStore, RunStore } from './ports/stores';
import type { OutboundSettings } from './outbound/retry-advice';
import type { ToolCatalog } from './ports/tools';
import type { TurnListener } from './ports/turn-listener';

/** Tunables of the core; main.ts fills them from Config. */
export interface CoreSettings {
  /** How long a request waits for a decision. Default 15 minutes. */
  readonly requestTtlMs: number;
  /** How many recent thread messages the model sees. */
  readonly historyLimit: number;
  readonly contextBudgetChars: number;
  readonly policy: ApprovalPolicy;
  readonly actionTimeoutMs: number;
  /** Minimum gap between progress edits of one message. */
  readonly progressIntervalMs: number;
  /** Approve by policy when every action is read-only. */
  readonly autoRunReadOnly: boolean;
  /** Messages handled at once; the rest wait in order of arrival. Sized to the database pool. */
  readonly maxConcurrentTurns: number;
  /** Longest fact value stored. */
  readonly contextMaxValueChars: number;
  /** Facts kept per conversation; the least recently updated go first. */
  readonly contextMaxFacts: number;
  /** Who may clear a conversation's context. */
  readonly contextClearAllowed: 'anyone' | 'approvers';
  /** Gap between a running worker's heartbeats; silent for 5 of them, its run may be taken over. Default 1000. */
  readonly runHeartbeatMs?: number;
  /** How many times one request's run may start, crash recoveries included. Default 3. */
  readonly maxRunAttempts?: number;
  /**
   * How long storing an incoming message may take before it fails as StoreUnavailableError
   * and the platform is asked to deliver it again: well inside Slack's 3 s. Default 2000.
   */
  readonly storeTimeoutMs?: number;
  /** The outbound rate budget per channel; defaults in src/core/outbound/retry-advice.ts. */
  readonly outbound?: Partial<OutboundSettings>;
}

/** Everything the core needs from the outside, as ports. Built once in main.ts. */
export interface CoreDeps {
  readonly platforms: PlatformDirectory;
  readonly messages: MessageStore;
  readonly requests: RequestStore;
  readonly runs: RunStore;
  readonly contexts: ContextStore;
  /** Null when no model is configured: explicit commands still work. */
  readonly model: LanguageModel | null;
  readonly tools: ToolCatalog;
  readonly queue: ExecutionQueue;
  readonly clock: Clock;
  readonly log: Logger;
  readonly settings: CoreSettings;
  readonly onTurn?: TurnListener;
}
