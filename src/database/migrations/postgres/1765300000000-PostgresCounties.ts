import { MigrationInterface, QueryRunner } from 'typeorm';
import { COUNTY_TABLES, countyForUpgrade, countyNamesForUpgrade } from '../../../regions/upgrade';

/**
 * Counties on PostgreSQL, the same schema as the SQLite migration Counties. The county of an
 * existing database goes in as each new column's default and the default is then reset, so the
 * upgrade does not rewrite the tables (PostgreSQL keeps such a default in the catalogue).
 */
export class PostgresCounties1765300000000 implements MigrationInterface {
  name = 'PostgresCounties1765300000000';

  public async up(q: QueryRunner): Promise<void> {
    const county = await countyForUpgrade(q);
    const fill = county ?? '';
    await q.query(
      `CREATE TABLE "regions" ("code" character varying(6) NOT NULL, "name" character varying(50) NOT NULL, "level" character varying(12) NOT NULL, "parentCode" character varying(6), "bureauName" character varying(100) NOT NULL DEFAULT '', "sortOrder" integer NOT NULL DEFAULT '0', "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4f6dc5a464961e7c65a395ea4c6" PRIMARY KEY ("code"))`,
    );
    await q.query(`CREATE INDEX "IDX_regions_parent" ON "regions" ("parentCode")`);
    for (const [t, c] of [...COUNTY_TABLES.map((t) => [t, 'countyCode']), ['users', 'regionCode']]) {
      await q.query(`ALTER TABLE "${t}" ADD COLUMN "${c}" character varying(6) NOT NULL DEFAULT '${fill}'`);
      await q.query(`ALTER TABLE "${t}" ALTER COLUMN "${c}" SET DEFAULT ''`);
    }
    await q.query(`CREATE INDEX "IDX_users_region" ON "users" ("regionCode")`);
    await q.query(`DROP INDEX "IDX_73d4c71442c3281983911f34fc"`);
    await q.query(`CREATE UNIQUE INDEX "IDX_townships_county_name" ON "townships" ("countyCode", "name")`);
    // a county's cases newest first: the case list and counts of a prefecture or province
    await q.query(`CREATE INDEX "IDX_cases_county_received" ON "cases" ("countyCode", "receivedAt", "id")`);
    if (county) {
      const { name, bureauName } = countyNamesForUpgrade();
      await q.query(`INSERT INTO "regions" ("code", "name", "level", "parentCode", "bureauName") VALUES ($1, $2, 'county', NULL, $3)`, [county, name, bureauName]);
      // numbering goes on where it stopped: this year's next case is JZ2026-<county>-000241, not 000001
      await q.query(
        `INSERT INTO "case_sequences" ("prefix", "year", "lastValue") SELECT "prefix" || $1, "year", "lastValue" FROM "case_sequences" WHERE "prefix" IN ('JZ', 'XS')`,
        [county],
      );
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_cases_county_received"`);
    await q.query(`DROP INDEX "IDX_townships_county_name"`);
    await q.query(`CREATE UNIQUE INDEX "IDX_73d4c71442c3281983911f34fc" ON "townships" ("name")`);
    await q.query(`DROP INDEX "IDX_users_region"`);
    await q.query(`ALTER TABLE "users" DROP COLUMN "regionCode"`);
    for (const t of COUNTY_TABLES) await q.query(`ALTER TABLE "${t}" DROP COLUMN "countyCode"`);
    await q.query(`DROP TABLE "regions"`);
  }
}
