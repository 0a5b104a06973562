import type { AgentRequest } from './model/agent-request';
import type { IncomingCommand } from './model/incoming';
import type { PrivateReply } from './ports/chat-platform';
import type { Core } from './ports/inbound';
import { NO_METRICS } from './ports/metrics';
import type { CoreDeps, WiredDeps } from './core-deps';
import { Background } from './background';
import { RequestCards } from './approvals/request-cards';
import { RequestDecisions } from './approvals/request-decisions';
import { RequestForms } from './approvals/request-forms';
import { FactLearner } from './context/fact-learner';
import { ApproverNotices } from './inbox/approver-notices';
import { HomeViewers } from './inbox/home-viewers';
import { Inbox } from './inbox/inbox';
import { RequestReminders } from './inbox/request-reminders';
import { AlwaysAllow } from './conversation/always-allow-clicks';
import { PolicyBook } from './policy/policy-book';
import { envPolicy } from './policy/env-policy';
import { PolicyCache } from './policy/policy-cache';
import { ScheduleBook } from './schedules/schedule-book';
import { ScheduleFirer } from './schedules/schedule-firer';
import { CallRecorder } from './agent/call-recorder';
import { GatePoster } from './agent/gate-poster';
import { RunStepper } from './agent/run-stepper';
import { TurnAnswerer } from './agent/turn-answerer';
import { TurnReplies } from './agent/turn-replies';
import { ActionHandler } from './conversation/action-handler';
import { CommandHandler } from './conversation/command-handler';
import type { Command } from './conversation/commands/command';
import { contextCommand } from './conversation/commands/context-command';
import { decisionCommands } from './conversation/commands/decision-commands';
import { feedbackCommand } from './conversation/commands/feedback-command';
import { helpCommand } from './conversation/commands/help-command';
import { pendingCommand } from './conversation/commands/pending-command';
import { requestsCommand } from './conversation/commands/requests-command';
import { runCommand } from './conversation/commands/run-command';
import { policyCommand } from './conversation/commands/policy-command';
import { runPolicyBudget } from './conversation/commands/policy-budget';
import { scheduleCommand } from './conversation/commands/schedule-command';
import { usageCommand } from './conversation/commands/usage-command';
import { AssistantThreadTurns } from './conversation/assistant-thread-turns';
import { MessageHandler, turnRecovery } from './conversation/message-handler';
import { ThreadStop } from './conversation/thread-stop';
import { TurnClaims } from './conversation/turn-claims';
import { OutboundPlatform } from './outbound/outbound-platform';
import { ProgressBoard } from './runs/progress-board';
import { RunCancel } from './runs/run-cancel';
import { RunEnding } from './runs/run-ending';
import { RunSweeps } from './runs/run-sweeps';
import { ThreadSessions } from './thread-sessions';
import { BudgetOverrides } from './budgets/budget-overrides';
import { TokenBudgets } from './budgets/token-budgets';
import { WorkLimiter } from './work-limiter';

/** Wires the core's handlers over its ports. */
export function createCore(given: CoreDeps): Core {
  // Everything the core sends to a channel shares that channel's rate budget.
  const outbound = given.log.child({ module: 'outbound' });
  const metrics = given.metrics ?? NO_METRICS;
  const decorated = given.platforms.decorated((p) => new OutboundPlatform(p, given.settings.outbound, outbound, given.clock, metrics));
  const sessions = new ThreadSessions(decorated, given.log.child({ module: 'sessions' }));
  const tokens = new TokenBudgets({ budgets: given.budgets, overrides: new BudgetOverrides(given.budgets), platforms: decorated, metrics, clock: given.clock, settings: given.settings.budgets });
  const deps: WiredDeps = { ...given, metrics, platforms: decorated, sessions, tokens, policyCache: new PolicyCache(given.policyRules, given.log.child({ module: 'policy' })) };
  const { platforms, messages, runs, requests, tools, log, clock, settings } = deps;

  const background = new Background(log);
  background.start("reading the channels' token budgets", () => tokens.warm());
  const inbox = new Inbox(deps, new HomeViewers(), background);
  const notices = new ApproverNotices(deps, inbox, background);
  const changed = (request: AgentRequest, how: 'posted' | 'refreshed'): void => {
    inbox.requestChanged(request);
    if (how === 'posted') notices.requestPosted(request);
  };
  const cards = new RequestCards({ platforms, requests, tools, log, changed });
  const board = new ProgressBoard({ platforms, messages, runs, tools, log, clock, intervalMs: settings.progressIntervalMs });
  const ending = new RunEnding(deps, cards, board, background);
  const recorder = new CallRecorder(deps, { gates: new GatePoster({ cards, ending, platforms, sessions: deps.sessions }), ending });
  const stepper = new RunStepper(deps, { ending, board, recorder });
  const sweeps = new RunSweeps(deps, { cards, ending });
  const reminders = new RequestReminders(deps, inbox);
  const decisions = new RequestDecisions(deps, cards);
  const forms = new RequestForms(deps, decisions, cards);
  const cancel = new RunCancel(deps, ending);
  const policyBook = new PolicyBook(deps);

  const commands: Command[] = [];
  commands.push(
    helpCommand(() => commands, tools, { cache: deps.policyCache, env: envPolicy(settings) }),
    runCommand(recorder),
    ...decisionCommands(decisions, cancel),
    requestsCommand(runs, requests),
    pendingCommand(inbox, platforms),
    contextCommand(deps, { maxValueChars: settings.contextMaxValueChars, maxFacts: settings.contextMaxFacts }),
    feedbackCommand(deps.feedback),
    scheduleCommand(new ScheduleBook(deps)),
    usageCommand(deps.tokens),
    policyCommand(policyBook, (command, args, reply) =>
      runPolicyBudget({ budgets: deps.budgets, platforms: deps.platforms, policy: deps.settings.policy, defaults: { user: deps.settings.budgets?.perUserDay ?? 0, channel: deps.settings.budgets?.perChannelDay ?? 0 } }, command, args, reply),
    ),
  );
  const ephemeralTo = (where: IncomingCommand['where'], userId: string): PrivateReply => (message) => platforms.get(where.platform).ephemeral(where, userId, message);
  const commandHandler = new CommandHandler(commands, (c) => ephemeralTo(c.where, c.user.id), log);
  const replies = new TurnReplies(platforms, messages, log);
  const learner = new FactLearner(deps.contexts, { minConfidence: settings.contextMinConfidence, maxValueChars: settings.contextMaxValueChars, maxFacts: settings.contextMaxFacts }, log.child({ module: 'learning' }), metrics);
  const answerer = new TurnAnswerer(deps, { replies, recorder, learner });
  const claims = new TurnClaims(messages, turnRecovery(settings).leaseMs / 3, log);
  const messageHandler = new MessageHandler(deps, { commands: commandHandler, answerer, replies, turns: new WorkLimiter(settings.maxConcurrentTurns), claims, assistantThreads: new AssistantThreadTurns(deps.assistantThreads) });
  const firer = new ScheduleFirer(deps, { takeTurn: (m) => messageHandler.takeOwn(m), background });
  const actions = new ActionHandler(deps, { decisions, forms, cancel, policy: new AlwaysAllow(deps, { book: policyBook, decisions }) });
  const threadStop = new ThreadStop(deps, { cancel, claims });
  return {
    acceptMessage: (m, options) => messageHandler.accept(m, options),
    handleMessage: (m, options) => messageHandler.handle(m, options),
    noteViewedChannel: (thread, viewed, at) => deps.assistantThreads.noteViewedChannel(thread, viewed, at),
    claimAssistantGreeting: (thread) => deps.assistantThreads.claimOnce(thread, 'greeting'),
    handleAction: (a, reply = ephemeralTo(a.where, a.user.id)) => actions.handle(a, reply),
    stopThread: (where, user, reply = ephemeralTo(where, user.id)) => threadStop.stop(where, user, reply),
    handleCommand: (c, reply) => commandHandler.handle(c, reply),
    openForm: (a, reply = ephemeralTo(a.where, a.user.id)) => actions.openForm(a, reply),
    openHome: (owner, note) => inbox.showHome(owner, note ?? null),
    advanceRun: (id) => stepper.advance(id),
    expireDueRequests: () => sweeps.expireDueRequests(),
    remindDueRequests: () => reminders.remindDue(),
    recoverStalledRuns: () => sweeps.recoverStalledRuns(),
    recoverTurns: () => messageHandler.recover(given.platforms.names()),
    fireDueSchedules: () => firer.fireDue(given.platforms.names()),
    loadPolicy: () => deps.policyCache.load(),
    idle: () => background.idle(),
  };
}
