import { Migration } from '@mikro-orm/migrations';

export class Migration20261208015937 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "schedule" ("id" uuid not null default gen_random_uuid(), "short_id" text not null, "conversation_id" uuid not null, "cron" text not null, "time_zone" text not null, "prompt" text not null, "owner_id" text not null, "owner_name" text not null, "state" text check ("state" in ('active', 'paused')) not null, "paused_reason" text null, "consecutive_failures" int not null default 0, "next_fire_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "schedule_pkey" primary key ("id"));`);
    this.addSql(`alter table "schedule" add constraint "schedule_short_id_unique" unique ("short_id");`);
    this.addSql(`create index "schedule_due_index" on "schedule" ("next_fire_at") where "state" = 'active';`);
    this.addSql(`create index "schedule_conversation_index" on "schedule" ("conversation_id", "created_at");`);

    this.addSql(`create table "schedule_firing" ("id" uuid not null default gen_random_uuid(), "schedule_id" uuid not null, "due_at" timestamptz not null, "created_at" timestamptz not null default now(), constraint "schedule_firing_pkey" primary key ("id"));`);
    this.addSql(`alter table "schedule_firing" add constraint "schedule_firing_schedule_due_unique" unique ("schedule_id", "due_at");`);

    this.addSql(`alter table "schedule" add constraint "schedule_conversation_id_foreign" foreign key ("conversation_id") references "conversation" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "schedule_firing" add constraint "schedule_firing_schedule_id_foreign" foreign key ("schedule_id") references "schedule" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "schedule_firing" drop constraint "schedule_firing_schedule_id_foreign";`);

    this.addSql(`drop table if exists "schedule" cascade;`);

    this.addSql(`drop table if exists "schedule_firing" cascade;`);
  }

}
