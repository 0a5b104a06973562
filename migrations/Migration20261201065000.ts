import { Migration } from '@mikro-orm/migrations';

export class Migration20261201065000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "agent_request_requester_index" on "agent_request" ("requested_by_id", "created_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "agent_request_requester_index";`);
  }

}
