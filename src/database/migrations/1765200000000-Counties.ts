import { MigrationInterface, QueryRunner } from 'typeorm';
import { COUNTY_TABLES, countyForUpgrade, countyNamesForUpgrade } from '../../regions/upgrade';

/**
 * Counties: a region table (county, prefecture, province by division code) and the county of every
 * township, user, case, lead, spot check and close-relative registration. A database of one county
 * is upgraded in place: its county is COUNTY_CODE or the one its townships' codes lie in
 * (regions/upgrade.ts), written into every row; nothing else changes (case and lead numbers
 * already issued stay as they are). Written by hand with ADD COLUMN: a generated migration would
 * rebuild the tables and drop their triggers.
 */
export class Counties1765200000000 implements MigrationInterface {
  name = 'Counties1765200000000';

  public async up(q: QueryRunner): Promise<void> {
    // asked first: a database whose county cannot be told is left exactly as it was
    const county = await countyForUpgrade(q);
    await q.query(
      `CREATE TABLE "regions" ("code" varchar(6) PRIMARY KEY NOT NULL, "name" varchar(50) NOT NULL, "level" varchar(12) NOT NULL, "parentCode" varchar(6), "bureauName" varchar(100) NOT NULL DEFAULT (''), "sortOrder" integer NOT NULL DEFAULT (0), "createdAt" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await q.query(`CREATE INDEX "IDX_regions_parent" ON "regions" ("parentCode") `);
    for (const t of COUNTY_TABLES) await q.query(`ALTER TABLE "${t}" ADD COLUMN "countyCode" varchar(6) NOT NULL DEFAULT ('')`);
    await q.query(`ALTER TABLE "users" ADD COLUMN "regionCode" varchar(6) NOT NULL DEFAULT ('')`);
    await q.query(`CREATE INDEX "IDX_users_region" ON "users" ("regionCode") `);
    // a township's name is unique within its county, no longer across the database
    await q.query(`DROP INDEX "IDX_73d4c71442c3281983911f34fc"`);
    await q.query(`CREATE UNIQUE INDEX "IDX_townships_county_name" ON "townships" ("countyCode", "name") `);
    if (county) {
      const { name, bureauName } = countyNamesForUpgrade();
      await q.query(`INSERT INTO "regions" ("code", "name", "level", "parentCode", "bureauName") VALUES (?, ?, 'county', NULL, ?)`, [county, name, bureauName]);
      for (const t of COUNTY_TABLES) await q.query(`UPDATE "${t}" SET "countyCode" = ?`, [county]);
      await q.query(`UPDATE "users" SET "regionCode" = ?`, [county]);
      // numbering goes on where it stopped: this year's next case is JZ2026-<county>-000241, not 000001
      await q.query(
        `INSERT INTO "case_sequences" ("prefix", "year", "lastValue") SELECT "prefix" || ?, "year", "lastValue" FROM "case_sequences" WHERE "prefix" IN ('JZ', 'XS')`,
        [county],
      );
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "IDX_townships_county_name"`);
    await q.query(`CREATE UNIQUE INDEX "IDX_73d4c71442c3281983911f34fc" ON "townships" ("name") `);
    await q.query(`DROP INDEX "IDX_users_region"`);
    await q.query(`ALTER TABLE "users" DROP COLUMN "regionCode"`);
    for (const t of COUNTY_TABLES) await q.query(`ALTER TABLE "${t}" DROP COLUMN "countyCode"`);
    await q.query(`DROP INDEX "IDX_regions_parent"`);
    await q.query(`DROP TABLE "regions"`);
  }
}
