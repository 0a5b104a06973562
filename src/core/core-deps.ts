import type { Logger } from '../logging/logger';
import type { AgentBudget, AutoRunPolicy } from './model/agent-policy';
import type { ApprovalPolicy } from './model/approval-policy';
import type { Clock } from './ports/clock';
import type { ExecutionQueue } from './ports/execution-queue';
import type { LanguageModel } from './ports/language-model';
import type { Metrics } from './ports/metrics';
import type { PlatformDirectory } from './ports/platforms';
import type { PolicyRuleStore } from './ports/policy-store';
import type { ScheduleStore } from './ports/schedule-store';
import type { BudgetStore } from './ports/budget-store';
import type { ReminderStore } from './ports/reminder-store';
import type { BudgetSettings } from './budgets/budget-text';
import type { TokenBudgets } from './budgets/token-budgets';
import type { PolicyCache } from './policy/policy-cache';
import type { AssistantThreadStore, ConfirmationStore, ContextStore, FeedbackStore, MessageStore, RequestStore, RunStore } from './ports/stores';
import type { OutboundSettings } from './outbound/retry-advice';
import type { ToolCatalog } from './ports/tools';
import type { ThreadSessions } from './thread-sessions';

/** When a chat answer starts to show; defaults in src/core/agent/live-answer.ts. */
export interface LiveTimings {
  /** Text held before a stream opens: an answer complete by then is one post, as cheap as without streaming. */
  readonly bufferMs: number;
  /** Silence before the platform shows the bot is working: a quick model needs no hint. */
  readonly workingAfterMs: number;
}

/** Tunables of the core; app.ts fills them from Config. */
export interface CoreSettings {
  /** How long a request waits for a decision. Default 15 minutes. */
  readonly requestTtlMs: number;
  /** How many recent thread messages the model sees. */
  readonly historyLimit: number;
  /** The most characters of thread history in a prompt; the oldest messages go first. Default 12,000. */
  readonly historyBudgetChars?: number;
  readonly contextBudgetChars: number;
  readonly policy: ApprovalPolicy;
  /** Direct-message each approver named in `policy.approvers` about a destructive request. Default false. */
  readonly notifyApprovers?: boolean;
  /** Longest run of one tool call. */
  readonly actionTimeoutMs: number;
  /** Minimum gap between progress edits of one message. */
  readonly progressIntervalMs: number;
  /** Which read-only tools run without asking. */
  readonly autoRun: AutoRunPolicy;
  /** How far one agent run may go. */
  readonly agent: AgentBudget;
  /** Messages handled at once; the rest wait in order of arrival. Sized to the database pool. */
  readonly maxConcurrentTurns: number;
  /** Longest fact value stored. */
  readonly contextMaxValueChars: number;
  /** Facts kept per conversation; the least recently updated go first. */
  readonly contextMaxFacts: number;
  /** Learned facts the model is less sure of than this (0..1) are not stored. */
  readonly contextMinConfidence: number;
  /** Who may clear a conversation's context. */
  readonly contextClearAllowed: 'anyone' | 'approvers';
  /** Gap between a working step's lease renewals; after 3 missed ones another worker takes the step over. Default 1000. */
  readonly runHeartbeatMs?: number;
  /** How many times one run's steps may be taken over after crashes before it ends interrupted. Default 3. */
  readonly maxRunAttempts?: number;
  /**
   * Unanswered turns: a process renews its claim on the turns it works on every third of
   * `leaseMs`; a turn unclaimed that long is answered by another process if younger than
   * `windowMs`, and skipped if older. Defaults 15 s and 10 minutes.
   */
  readonly turnRecovery?: { readonly leaseMs: number; readonly windowMs: number };
  /**
   * How long storing an incoming message may take before it fails as StoreUnavailableError
   * and the platform is asked to deliver it again: well inside Slack's 3 s. Default 2000.
   */
  readonly storeTimeoutMs?: number;
  /** When a chat answer starts to show as it is written. */
  readonly liveAnswer?: LiveTimings;
  /** The outbound rate budget per channel; defaults in src/core/outbound/retry-advice.ts. */
  readonly outbound?: Partial<OutboundSettings>;
  /** Scheduled agent work; defaults in src/core/schedules/schedule-settings.ts (UTC, a catch-up of one hour). */
  readonly schedules?: Partial<ScheduleSettings>;
  /** Daily token limits; default none (src/core/budgets/budget-text.ts). */
  readonly budgets?: BudgetSettings;
  /** A pending request reminds its approvers after this long (REMIND_AFTER); default 10 minutes. */
  readonly remindAfterMs?: number;
  /** Files on people's messages; defaults in src/core/files/file-settings.ts (no vision, 5 MB images, 20,000 characters of text). */
  readonly files?: Partial<FileSettings>;
}

/** How files on people's messages reach the model (MODEL_VISION, IMAGE_MAX_BYTES, FILE_TEXT_MAX_CHARS). */
export interface FileSettings {
  /** Images go to the model as image parts; otherwise it is told one was attached and not shown. */
  readonly vision: boolean;
  /** The largest image read; its download stops at this many bytes. */
  readonly imageMaxBytes: number;
  /** The most characters of a text file shown; a longer one is cut, with a note. */
  readonly textMaxChars: number;
}

/** How schedules read their cron and make up for firings missed while no process ran. */
export interface ScheduleSettings {
  /** The IANA time zone new schedules read their cron in (SCHEDULE_TZ). Default `UTC`. */
  readonly timeZone: string;
  /** A firing missed while every process was down runs at start-up when younger than this; older, it is skipped (SCHEDULE_CATCH_UP). Default 1 hour. */
  readonly catchUpMs: number;
}

/** Everything the core needs from the outside, as ports. Built once in app.ts. */
export interface CoreDeps {
  readonly platforms: PlatformDirectory;
  readonly messages: MessageStore;
  readonly requests: RequestStore;
  readonly runs: RunStore;
  readonly contexts: ContextStore;
  readonly confirmations: ConfirmationStore;
  readonly assistantThreads: AssistantThreadStore;
  readonly feedback: FeedbackStore;
  readonly schedules: ScheduleStore;
  readonly budgets: BudgetStore;
  readonly reminders: ReminderStore;
  /** Policy rules (docs/policy.md); read through WiredDeps.policyCache on every path a message takes. */
  readonly policyRules: PolicyRuleStore;
  /** Null when no model is configured: explicit commands still work. */
  readonly model: LanguageModel | null;
  readonly tools: ToolCatalog;
  readonly queue: ExecutionQueue;
  readonly clock: Clock;
  readonly log: Logger;
  readonly settings: CoreSettings;
  /** What the core counts and times for operators; createCore puts NO_METRICS here when absent. */
  readonly metrics?: Metrics;
}

/** The deps as createCore hands them to the core's parts: metrics always there, the threads' sessions, the token budgets, the rules' cache. */
export type WiredDeps = CoreDeps & { readonly metrics: Metrics; readonly sessions: ThreadSessions; readonly tokens: TokenBudgets; readonly policyCache: PolicyCache };
