import { MigrationInterface, QueryRunner } from 'typeorm';
import { CountyFirstIndexes1765700000000 } from '../1765700000000-CountyFirstIndexes';

/** SQLite's CountyFirstIndexes1765700000000 on PostgreSQL: the same statements. */
export class PostgresCountyFirstIndexes1765700000000 implements MigrationInterface {
  name = 'PostgresCountyFirstIndexes1765700000000';
  private readonly same = new CountyFirstIndexes1765700000000();

  public up(q: QueryRunner): Promise<void> {
    return this.same.up(q);
  }

  public down(q: QueryRunner): Promise<void> {
    return this.same.down(q);
  }
}


