import { Migration } from '@mikro-orm/migrations';

export class Migration20261201023016 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "confirmation" ("token" uuid not null default gen_random_uuid(), "purpose" text check ("purpose" in ('context_clear')) not null, "platform" text check ("platform" in ('slack', 'discord', 'console')) not null, "workspace_id" text not null, "channel_id" text not null, "user_id" text not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "confirmation_pkey" primary key ("token"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "confirmation" cascade;`);
  }

}
