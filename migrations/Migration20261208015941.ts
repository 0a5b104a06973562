import { Migration } from '@mikro-orm/migrations';

export class Migration20261208015941 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "agent_request" add column "card_token" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "agent_request" drop column "card_token";`);
  }

}
