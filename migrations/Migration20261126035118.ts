import { Migration } from '@mikro-orm/migrations';

export class Migration20261126035118 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "message" add column "run_attempt" int null, add column "heartbeat_at" timestamptz null;`);
    this.addSql(`alter table "message" add constraint "message_request_type_unique" unique ("request_id", "message_type");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "message" drop constraint "message_request_type_unique";`);
    this.addSql(`alter table "message" drop column "run_attempt", drop column "heartbeat_at";`);
  }

}
