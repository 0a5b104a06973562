import { Migration } from '@mikro-orm/migrations';

export class Migration20261208000632 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "message" drop constraint if exists "message_turn_state_check";`);

    this.addSql(`alter table "message" add constraint "message_turn_state_check" check("turn_state" in ('pending', 'answered', 'skipped', 'stopped'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "message" drop constraint if exists "message_turn_state_check";`);

    this.addSql(`alter table "message" add constraint "message_turn_state_check" check("turn_state" in ('pending', 'answered', 'skipped'));`);
  }

}
