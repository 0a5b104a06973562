import { ConfirmationEntity } from './confirmation.entity';
import { ConversationContextEntity } from './conversation-context.entity';
import { ConversationEntity } from './conversation.entity';
import { MessageEntity } from './message.entity';

/** Every entity, listed explicitly so no folder discovery is needed under tsx, jest or node. */
export const ENTITIES = [ConversationEntity, MessageEntity, ConversationContextEntity, ConfirmationEntity];
export { ConversationEntity, MessageEntity, ConversationContextEntity, ConfirmationEntity };
