import { MigrationInterface, QueryRunner } from 'typeorm';
import { ClockCoveringIndex1765500000000 } from '../1765500000000-ClockCoveringIndex';

/** SQLite's ClockCoveringIndex1765500000000 on PostgreSQL: the same statements. */
export class PostgresClockCoveringIndex1765500000000 implements MigrationInterface {
  name = 'PostgresClockCoveringIndex1765500000000';
  private readonly same = new ClockCoveringIndex1765500000000();

  public up(q: QueryRunner): Promise<void> {
    return this.same.up(q);
  }

  public down(q: QueryRunner): Promise<void> {
    return this.same.down(q);
  }
}
