import { Migration } from '@mikro-orm/migrations';

export class Migration20261126034102 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "conversation" ("id" uuid not null default gen_random_uuid(), "platform" text check ("platform" in ('slack', 'discord', 'console')) not null, "workspace_id" text not null, "channel_id" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "conversation_pkey" primary key ("id"));`);
    this.addSql(`alter table "conversation" add constraint "conversation_platform_workspace_id_channel_id_unique" unique ("platform", "workspace_id", "channel_id");`);

    this.addSql(`create table "message" ("id" uuid not null default gen_random_uuid(), "conversation_id" uuid not null, "thread_ref" text not null, "platform_message_id" text null, "author_id" text not null, "author_name" text not null, "role" text check ("role" in ('user', 'assistant')) not null, "message_type" text check ("message_type" in ('text', 'agent_request', 'agent_progress', 'agent_result')) not null, "text" text not null, "metadata" jsonb not null default '{}', "request_status" text check ("request_status" in ('pending', 'approved', 'denied', 'expired', 'running', 'succeeded', 'failed', 'cancelled')) null, "expires_at" timestamptz null, "plan_hash" text null, "request_id" uuid null, "created_at" timestamptz not null default now(), constraint "message_pkey" primary key ("id"));`);
    this.addSql(`create index "message_request_id_index" on "message" ("request_id");`);
    this.addSql(`create index "message_thread_recent_index" on "message" ("conversation_id", "thread_ref", "created_at");`);
    this.addSql(`create index "message_request_status_expiry_index" on "message" ("request_status", "expires_at");`);
    this.addSql(`alter table "message" add constraint "message_conversation_platform_message_unique" unique ("conversation_id", "platform_message_id");`);

    this.addSql(`create table "conversation_context" ("id" uuid not null default gen_random_uuid(), "conversation_id" uuid not null, "context_type" text check ("context_type" in ('domain', 'preference', 'project', 'technology')) not null, "context_key" text not null, "context_value" jsonb not null, "source" text check ("source" in ('learned', 'manual')) not null default 'learned', "learned_from" text null, "source_message_id" uuid null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "conversation_context_pkey" primary key ("id"));`);
    this.addSql(`create index "conversation_context_conversation_id_context_type_index" on "conversation_context" ("conversation_id", "context_type");`);
    this.addSql(`alter table "conversation_context" add constraint "conversation_context_conversation_id_context_key_unique" unique ("conversation_id", "context_key");`);

    this.addSql(`alter table "message" add constraint "message_conversation_id_foreign" foreign key ("conversation_id") references "conversation" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "conversation_context" add constraint "conversation_context_conversation_id_foreign" foreign key ("conversation_id") references "conversation" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "conversation_context" add constraint "conversation_context_source_message_id_foreign" foreign key ("source_message_id") references "message" ("id") on update cascade on delete set null;`);
  }

}
