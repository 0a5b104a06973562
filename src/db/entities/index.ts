import { AgentRequestEntity } from './agent-request.entity';
import { AgentRunEntity } from './agent-run.entity';
import { AgentTurnEntity } from './agent-turn.entity';
import { AssistantThreadEntity } from './assistant-thread.entity';
import { AnswerFeedbackEntity } from './answer-feedback.entity';
import { ConfirmationEntity } from './confirmation.entity';
import { ConversationContextEntity } from './conversation-context.entity';
import { ConversationEntity } from './conversation.entity';
import { MessageEntity } from './message.entity';
import { PolicyRuleEntity } from './policy-rule.entity';
import { ScheduleFiringEntity } from './schedule-firing.entity';
import { ScheduleEntity } from './schedule.entity';
import { ToolCallEntity } from './tool-call.entity';
import { TokenUsageEntity } from './token-usage.entity';
import { BudgetOverrideEntity } from './budget-override.entity';
import { RequestReminderEntity } from './request-reminder.entity';

/** Every entity, listed explicitly so no folder discovery is needed under tsx, jest or node. */
export const ENTITIES = [ConversationEntity, MessageEntity, ConversationContextEntity, ConfirmationEntity, AgentRunEntity, AgentTurnEntity, AgentRequestEntity, ToolCallEntity, AssistantThreadEntity, AnswerFeedbackEntity, ScheduleEntity, ScheduleFiringEntity, TokenUsageEntity, BudgetOverrideEntity, RequestReminderEntity, PolicyRuleEntity];
export { ConversationEntity, MessageEntity, ConversationContextEntity, ConfirmationEntity, AgentRunEntity, AgentTurnEntity, AgentRequestEntity, ToolCallEntity, AssistantThreadEntity, AnswerFeedbackEntity, ScheduleEntity, ScheduleFiringEntity, TokenUsageEntity, BudgetOverrideEntity, RequestReminderEntity, PolicyRuleEntity };
