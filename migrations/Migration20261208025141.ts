import { Migration } from '@mikro-orm/migrations';

export class Migration20261208025141 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "policy_rule" ("id" uuid not null default gen_random_uuid(), "platform" text check ("platform" in ('slack', 'discord', 'console')) not null, "workspace_id" text not null, "channel_id" text not null default '', "tool" text not null, "run" text check ("run" in ('auto', 'ask', 'hide')) null, "approvers" jsonb null, "four_eyes" boolean null, "set_by_id" text not null, "set_by_name" text not null, "set_at" timestamptz not null default now(), constraint "policy_rule_pkey" primary key ("id"));`);
    this.addSql(`alter table "policy_rule" add constraint "policy_rule_scope_unique" unique ("platform", "workspace_id", "channel_id", "tool");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "policy_rule" cascade;`);
  }

}
