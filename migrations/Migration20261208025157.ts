import { Migration } from '@mikro-orm/migrations';

export class Migration20261208025157 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "budget_override" ("id" uuid not null default gen_random_uuid(), "conversation_id" uuid not null, "scope" text check ("scope" in ('user', 'channel')) not null, "tokens" int not null, "set_by_id" text not null, "set_by_name" text not null, "set_at" timestamptz not null default now(), constraint "budget_override_pkey" primary key ("id"));`);
    this.addSql(`alter table "budget_override" add constraint "budget_override_conversation_scope_unique" unique ("conversation_id", "scope");`);

    this.addSql(`create table "request_reminder" ("id" uuid not null default gen_random_uuid(), "request_id" uuid not null, "stage" text check ("stage" in ('first', 'final')) not null, "sent_at" timestamptz not null default now(), constraint "request_reminder_pkey" primary key ("id"));`);
    this.addSql(`alter table "request_reminder" add constraint "request_reminder_request_stage_unique" unique ("request_id", "stage");`);

    this.addSql(`create table "token_usage" ("id" uuid not null default gen_random_uuid(), "platform" text check ("platform" in ('slack', 'discord', 'console')) not null, "workspace_id" text not null, "scope" text check ("scope" in ('user', 'channel')) not null, "subject" text not null, "day" text not null, "used_tokens" int not null default 0, "reserved_tokens" int not null default 0, "warned" boolean not null default false, constraint "token_usage_pkey" primary key ("id"));`);
    this.addSql(`alter table "token_usage" add constraint "token_usage_key_unique" unique ("platform", "workspace_id", "scope", "subject", "day");`);

    this.addSql(`alter table "budget_override" add constraint "budget_override_conversation_id_foreign" foreign key ("conversation_id") references "conversation" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "request_reminder" add constraint "request_reminder_request_id_foreign" foreign key ("request_id") references "agent_request" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "budget_override" cascade;`);

    this.addSql(`drop table if exists "request_reminder" cascade;`);

    this.addSql(`drop table if exists "token_usage" cascade;`);
  }

}
