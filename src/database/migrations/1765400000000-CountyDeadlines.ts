import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each county's own deadline limits (an override of a shared rule) and its own rest and working
 * days (overlaying the national calendar). Empty tables: every county keeps the shared rules and
 * the national calendar until its administrator or supervisor sets something.
 */
export class CountyDeadlines1765400000000 implements MigrationInterface {
  name = 'CountyDeadlines1765400000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "county_calendar_days" ("countyCode" varchar(6) NOT NULL, "date" varchar(10) NOT NULL, "year" integer NOT NULL, "type" varchar(10) NOT NULL, "name" varchar(20) NOT NULL, "updatedAt" datetime NOT NULL, "updatedBy" varchar(50) NOT NULL, PRIMARY KEY ("countyCode", "date"))`,
    );
    await q.query(
      `CREATE TABLE "county_deadline_rules" ("countyCode" varchar(6) NOT NULL, "ruleId" integer NOT NULL, "limitValue" integer NOT NULL, "unit" varchar(10) NOT NULL, "maxExtension" integer NOT NULL DEFAULT (0), "source" varchar(300) NOT NULL, "updatedAt" datetime NOT NULL, "updatedBy" varchar(50) NOT NULL, PRIMARY KEY ("countyCode", "ruleId"))`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "county_deadline_rules"`);
    await q.query(`DROP TABLE "county_calendar_days"`);
  }
}
