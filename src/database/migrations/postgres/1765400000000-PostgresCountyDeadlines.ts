import { MigrationInterface, QueryRunner } from 'typeorm';

/** Each county's own deadline limits and calendar days on PostgreSQL, the same schema as the SQLite migration CountyDeadlines. */
export class PostgresCountyDeadlines1765400000000 implements MigrationInterface {
  name = 'PostgresCountyDeadlines1765400000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "county_calendar_days" ("countyCode" character varying(6) NOT NULL, "date" character varying(10) NOT NULL, "year" integer NOT NULL, "type" character varying(10) NOT NULL, "name" character varying(20) NOT NULL, "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL, "updatedBy" character varying(50) NOT NULL, CONSTRAINT "PK_d636544af9ab7761ec852396e2a" PRIMARY KEY ("countyCode", "date"))`,
    );
    await q.query(
      `CREATE TABLE "county_deadline_rules" ("countyCode" character varying(6) NOT NULL, "ruleId" integer NOT NULL, "limitValue" integer NOT NULL, "unit" character varying(10) NOT NULL, "maxExtension" integer NOT NULL DEFAULT '0', "source" character varying(300) NOT NULL, "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL, "updatedBy" character varying(50) NOT NULL, CONSTRAINT "PK_da43c5cecea5a66f5668ea33ae6" PRIMARY KEY ("countyCode", "ruleId"))`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "county_deadline_rules"`);
    await q.query(`DROP TABLE "county_calendar_days"`);
  }
}
