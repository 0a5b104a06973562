import { Migration } from '@mikro-orm/migrations';

export class Migration20261201023309 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "agent_run" ("id" uuid not null default gen_random_uuid(), "conversation_id" uuid not null, "thread_ref" text not null, "kind" text check ("kind" in ('agent', 'manual')) not null, "status" text check ("status" in ('running', 'waiting', 'succeeded', 'failed', 'cancelled', 'expired', 'denied')) not null, "requested_by_id" text not null, "requested_by_name" text not null, "trigger_message_id" uuid null, "turns" int not null default 0, "tool_calls" int not null default 0, "prompt_tokens" int not null default 0, "completion_tokens" int not null default 0, "total_tokens" int not null default 0, "deadline_at" timestamptz not null, "attempt" int not null default 0, "lease_token" uuid null, "lease_until" timestamptz null, "error_code" text null, "cancelled_by_id" text null, "cancelled_by_name" text null, "created_at" timestamptz not null default now(), "ended_at" timestamptz null, constraint "agent_run_pkey" primary key ("id"));`);
    this.addSql(`alter table "agent_run" add constraint "agent_run_trigger_message_id_unique" unique ("trigger_message_id");`);
    this.addSql(`create index "agent_run_conversation_recent_index" on "agent_run" ("conversation_id", "created_at");`);
    this.addSql(`create index "agent_run_live_index" on "agent_run" ("lease_until") where "status" in ('running', 'cancelled');`);

    this.addSql(`create table "agent_turn" ("id" uuid not null default gen_random_uuid(), "run_id" uuid not null, "seq" int not null, "content" text null, "prompt_tokens" int null, "completion_tokens" int null, "total_tokens" int null, "created_at" timestamptz not null default now(), constraint "agent_turn_pkey" primary key ("id"));`);
    this.addSql(`alter table "agent_turn" add constraint "agent_turn_run_seq_unique" unique ("run_id", "seq");`);

    this.addSql(`create table "agent_request" ("id" uuid not null, "run_id" uuid not null, "summary" text not null, "destructive" boolean not null, "status" text check ("status" in ('pending', 'approved', 'denied', 'expired', 'cancelled')) not null, "requested_by_id" text not null, "requested_by_name" text not null, "decided_by_id" text null, "decided_by_name" text null, "decided_at" timestamptz null, "reason" text null, "expires_at" timestamptz not null, "plan_hash" text not null, "card_platform_id" text null, "created_at" timestamptz not null default now(), constraint "agent_request_pkey" primary key ("id"));`);
    this.addSql(`create index "agent_request_run_index" on "agent_request" ("run_id");`);
    this.addSql(`create index "agent_request_pending_expiry_index" on "agent_request" ("expires_at") where "status" = 'pending';`);

    this.addSql(`create table "tool_call" ("id" uuid not null default gen_random_uuid(), "run_id" uuid not null, "turn_seq" int not null, "position" int not null, "call_id" text not null, "tool" text not null, "args" jsonb null, "gate" text check ("gate" in ('auto', 'gated', 'refused')) not null, "request_id" uuid null, "status" text check ("status" in ('pending', 'ready', 'running', 'succeeded', 'failed', 'refused', 'denied', 'expired', 'cancelled', 'interrupted', 'skipped')) not null, "idempotent" boolean not null, "output" text null, "error" text null, "result" text null, "started_at" timestamptz null, "ended_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "tool_call_pkey" primary key ("id"));`);
    this.addSql(`create index "tool_call_request_index" on "tool_call" ("request_id");`);
    this.addSql(`alter table "tool_call" add constraint "tool_call_run_turn_position_unique" unique ("run_id", "turn_seq", "position");`);

    this.addSql(`alter table "agent_run" add constraint "agent_run_conversation_id_foreign" foreign key ("conversation_id") references "conversation" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "agent_run" add constraint "agent_run_trigger_message_id_foreign" foreign key ("trigger_message_id") references "message" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "agent_turn" add constraint "agent_turn_run_id_foreign" foreign key ("run_id") references "agent_run" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "agent_request" add constraint "agent_request_run_id_foreign" foreign key ("run_id") references "agent_run" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "tool_call" add constraint "tool_call_run_id_foreign" foreign key ("run_id") references "agent_run" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "tool_call" add constraint "tool_call_request_id_foreign" foreign key ("request_id") references "agent_request" ("id") on update cascade on delete set null;`);

    this.addSql(`drop index "message_request_id_index";`);
    this.addSql(`drop index "message_request_status_expiry_index";`);
    this.addSql(`alter table "message" drop constraint "message_request_type_unique";`);
    this.addSql(`alter table "message" drop column "request_status", drop column "expires_at", drop column "plan_hash", drop column "run_attempt", drop column "heartbeat_at";`);
    // Requests now live in agent_request: the old progress and result rows' request_id pointed
    // at request messages, and would break the one-card-per-request unique below. They stay as
    // a log; their link goes.
    this.addSql(`update "message" set "request_id" = null where "message_type" in ('agent_progress', 'agent_result');`);

    this.addSql(`alter table "message" add column "turn_state" text check ("turn_state" in ('pending', 'answered', 'skipped')) null, add column "turn_claimed_at" timestamptz null, add column "run_id" uuid null;`);
    this.addSql(`create index "message_pending_turn_index" on "message" ("turn_claimed_at") where "turn_state" = 'pending';`);
    this.addSql(`alter table "message" add constraint "message_run_type_unique" unique ("run_id", "message_type");`);
    this.addSql(`alter table "message" add constraint "message_request_unique" unique ("request_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "agent_turn" drop constraint "agent_turn_run_id_foreign";`);

    this.addSql(`alter table "agent_request" drop constraint "agent_request_run_id_foreign";`);

    this.addSql(`alter table "tool_call" drop constraint "tool_call_run_id_foreign";`);

    this.addSql(`alter table "tool_call" drop constraint "tool_call_request_id_foreign";`);

    this.addSql(`drop table if exists "agent_run" cascade;`);

    this.addSql(`drop table if exists "agent_turn" cascade;`);

    this.addSql(`drop table if exists "agent_request" cascade;`);

    this.addSql(`drop table if exists "tool_call" cascade;`);

    this.addSql(`drop index "message_pending_turn_index";`);
    this.addSql(`alter table "message" drop constraint "message_run_type_unique";`);
    this.addSql(`alter table "message" drop constraint "message_request_unique";`);
    this.addSql(`alter table "message" drop column "turn_state", drop column "turn_claimed_at", drop column "run_id";`);

    this.addSql(`alter table "message" add column "request_status" text check ("request_status" in ('pending', 'approved', 'denied', 'expired', 'running', 'succeeded', 'failed', 'cancelled')) null, add column "expires_at" timestamptz null, add column "plan_hash" text null, add column "run_attempt" int4 null, add column "heartbeat_at" timestamptz(6) null;`);
    this.addSql(`create index "message_request_id_index" on "message" ("request_id");`);
    this.addSql(`create index "message_request_status_expiry_index" on "message" ("request_status", "expires_at");`);
    this.addSql(`alter table "message" add constraint "message_request_type_unique" unique ("request_id", "message_type");`);
  }

}
