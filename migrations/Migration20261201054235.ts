import { Migration } from '@mikro-orm/migrations';

export class Migration20261201054235 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "message" add column "trace_id" text null;`);

    this.addSql(`alter table "agent_run" add column "trace_id" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "agent_run" drop column "trace_id";`);

    this.addSql(`alter table "message" drop column "trace_id";`);
  }

}
