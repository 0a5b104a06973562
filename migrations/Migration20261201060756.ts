import { Migration } from '@mikro-orm/migrations';

export class Migration20261201060756 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "answer_feedback" ("id" uuid not null default gen_random_uuid(), "message_id" uuid not null, "user_id" text not null, "user_name" text not null, "rating" text check ("rating" in ('positive', 'negative')) not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "answer_feedback_pkey" primary key ("id"));`);
    this.addSql(`alter table "answer_feedback" add constraint "answer_feedback_message_user_unique" unique ("message_id", "user_id");`);

    this.addSql(`alter table "answer_feedback" add constraint "answer_feedback_message_id_foreign" foreign key ("message_id") references "message" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "answer_feedback" cascade;`);
  }

}
