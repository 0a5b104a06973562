import { Migration } from '@mikro-orm/migrations';

export class Migration20261201061112 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "assistant_thread" ("id" uuid not null default gen_random_uuid(), "conversation_id" uuid not null, "thread_ref" text not null, "viewed_workspace_id" text null, "viewed_channel_id" text null, "viewed_at" timestamptz null, "greeted" boolean not null default false, "titled" boolean not null default false, "created_at" timestamptz not null default now(), constraint "assistant_thread_pkey" primary key ("id"));`);
    this.addSql(`alter table "assistant_thread" add constraint "assistant_thread_conversation_id_thread_ref_unique" unique ("conversation_id", "thread_ref");`);

    this.addSql(`alter table "assistant_thread" add constraint "assistant_thread_conversation_id_foreign" foreign key ("conversation_id") references "conversation" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "assistant_thread" cascade;`);
  }

}
