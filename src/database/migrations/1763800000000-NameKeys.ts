import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Name keys for recusal and the close-relative register: the name without spaces and name dots
 * (src/common/names.ts), indexed, so matching at intake stays an index lookup. Generated; then
 * triggers that keep the keys, and the keys of existing rows (the same characters as nameKey,
 * written out here so this migration does not change if nameKey does). A later migration that
 * rebuilds either table must create these triggers again (the schema test checks they exist).
 */

export class NameKeys1763800000000 implements MigrationInterface {
    name = 'NameKeys1763800000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "IDX_9e99e4b4d53f964b26e6002274"`);
        await queryRunner.query(`DROP INDEX "IDX_fe0bb3f6520ee0469504521e71"`);
        await queryRunner.query(`CREATE TABLE "temporary_users" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "username" varchar(40) NOT NULL, "displayName" varchar(50) NOT NULL, "passwordHash" varchar(200) NOT NULL, "role" varchar(20) NOT NULL, "townshipId" integer, "idNumber" varchar(18), "phone" varchar(20), "disabled" boolean NOT NULL DEFAULT (0), "lastLoginAt" datetime, "passwordChangedAt" datetime, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime NOT NULL DEFAULT (datetime('now')), "displayNameKey" varchar(50) NOT NULL DEFAULT (''), CONSTRAINT "FK_f8d965835223c60735fd7590fe4" FOREIGN KEY ("townshipId") REFERENCES "townships" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`);
        await queryRunner.query(`INSERT INTO "temporary_users"("id", "username", "displayName", "passwordHash", "role", "townshipId", "idNumber", "phone", "disabled", "lastLoginAt", "passwordChangedAt", "createdAt", "updatedAt") SELECT "id", "username", "displayName", "passwordHash", "role", "townshipId", "idNumber", "phone", "disabled", "lastLoginAt", "passwordChangedAt", "createdAt", "updatedAt" FROM "users"`);
        await queryRunner.query(`DROP TABLE "users"`);
        await queryRunner.query(`ALTER TABLE "temporary_users" RENAME TO "users"`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_fe0bb3f6520ee0469504521e71" ON "users" ("username") `);
        await queryRunner.query(`DROP INDEX "IDX_7f6c41de404572632dc5bb43c7"`);
        await queryRunner.query(`DROP INDEX "IDX_6846ad3f4c9e3248219964bc6e"`);
        await queryRunner.query(`CREATE TABLE "temporary_relative_registrations" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "staffName" varchar(50) NOT NULL, "staffPost" varchar(50) NOT NULL, "staffUnit" varchar(100) NOT NULL, "townshipId" integer, "villageId" integer, "staffUserId" integer, "appointedAt" varchar(10), "relativeName" varchar(50) NOT NULL, "relativeIdNumber" varchar(18), "relationship" varchar(20) NOT NULL, "program" varchar(30), "startDate" varchar(10), "registeredAt" varchar(10), "homeVisitDate" varchar(10), "homeVisitResult" text, "endedAt" varchar(10), "endReason" varchar(200), "createdAt" datetime NOT NULL, "updatedAt" datetime NOT NULL, "updatedBy" varchar(50) NOT NULL, "relativeNameKey" varchar(50) NOT NULL DEFAULT (''))`);
        await queryRunner.query(`INSERT INTO "temporary_relative_registrations"("id", "staffName", "staffPost", "staffUnit", "townshipId", "villageId", "staffUserId", "appointedAt", "relativeName", "relativeIdNumber", "relationship", "program", "startDate", "registeredAt", "homeVisitDate", "homeVisitResult", "endedAt", "endReason", "createdAt", "updatedAt", "updatedBy") SELECT "id", "staffName", "staffPost", "staffUnit", "townshipId", "villageId", "staffUserId", "appointedAt", "relativeName", "relativeIdNumber", "relationship", "program", "startDate", "registeredAt", "homeVisitDate", "homeVisitResult", "endedAt", "endReason", "createdAt", "updatedAt", "updatedBy" FROM "relative_registrations"`);
        await queryRunner.query(`DROP TABLE "relative_registrations"`);
        await queryRunner.query(`ALTER TABLE "temporary_relative_registrations" RENAME TO "relative_registrations"`);
        await queryRunner.query(`CREATE INDEX "IDX_7f6c41de404572632dc5bb43c7" ON "relative_registrations" ("relativeIdNumber") `);
        await queryRunner.query(`CREATE INDEX "IDX_6846ad3f4c9e3248219964bc6e" ON "relative_registrations" ("staffUserId") `);
        await queryRunner.query(`CREATE INDEX "IDX_c4d4d463a187b1cc537efeeab3" ON "users" ("displayNameKey") `);
        await queryRunner.query(`CREATE INDEX "IDX_534e9e6e52efab643e3934c54a" ON "relative_registrations" ("relativeNameKey", "villageId") `);
        // The keys are kept by triggers, whatever writes the row (services, imports, the CLI).
        await queryRunner.query(`CREATE TRIGGER users_name_key_insert AFTER INSERT ON users BEGIN UPDATE users SET displayNameKey = REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(NEW.displayName, ' ', ''), '\u00a0', ''), '\u3000', ''), '\t', ''), '·', ''), '•', ''), '・', ''), '.', ''), '．', '') WHERE id = NEW.id; END`);
        await queryRunner.query(`CREATE TRIGGER users_name_key_update AFTER UPDATE OF displayName ON users BEGIN UPDATE users SET displayNameKey = REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(NEW.displayName, ' ', ''), '\u00a0', ''), '\u3000', ''), '\t', ''), '·', ''), '•', ''), '・', ''), '.', ''), '．', '') WHERE id = NEW.id; END`);
        await queryRunner.query(`CREATE TRIGGER relative_name_key_insert AFTER INSERT ON relative_registrations BEGIN UPDATE relative_registrations SET relativeNameKey = REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(NEW.relativeName, ' ', ''), '\u00a0', ''), '\u3000', ''), '\t', ''), '·', ''), '•', ''), '・', ''), '.', ''), '．', '') WHERE id = NEW.id; END`);
        await queryRunner.query(`CREATE TRIGGER relative_name_key_update AFTER UPDATE OF relativeName ON relative_registrations BEGIN UPDATE relative_registrations SET relativeNameKey = REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(NEW.relativeName, ' ', ''), '\u00a0', ''), '\u3000', ''), '\t', ''), '·', ''), '•', ''), '・', ''), '.', ''), '．', '') WHERE id = NEW.id; END`);
        await queryRunner.query(`UPDATE "users" SET "displayNameKey" = REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE("displayName", ' ', ''), '\u00a0', ''), '\u3000', ''), '\t', ''), '·', ''), '•', ''), '・', ''), '.', ''), '．', '')`);
        await queryRunner.query(`UPDATE "relative_registrations" SET "relativeNameKey" = REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE("relativeName", ' ', ''), '\u00a0', ''), '\u3000', ''), '\t', ''), '·', ''), '•', ''), '・', ''), '.', ''), '．', '')`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        // The generated steps rename the live table first; without the legacy rule, SQLite would
        // rewrite every foreign key pointing at users to the temporary name, which is then dropped.
        // Revert without a transaction (`migration:revert -t none`), so that TypeORM can switch
        // foreign keys off first, as SQLite requires for rebuilding a table.
        await queryRunner.query(`PRAGMA legacy_alter_table = ON`);
        for (const t of ['users_name_key_insert', 'users_name_key_update', 'relative_name_key_insert', 'relative_name_key_update']) await queryRunner.query(`DROP TRIGGER IF EXISTS ${t}`);
        await queryRunner.query(`DROP INDEX "IDX_534e9e6e52efab643e3934c54a"`);
        await queryRunner.query(`DROP INDEX "IDX_c4d4d463a187b1cc537efeeab3"`);
        await queryRunner.query(`DROP INDEX "IDX_6846ad3f4c9e3248219964bc6e"`);
        await queryRunner.query(`DROP INDEX "IDX_7f6c41de404572632dc5bb43c7"`);
        await queryRunner.query(`ALTER TABLE "relative_registrations" RENAME TO "temporary_relative_registrations"`);
        await queryRunner.query(`CREATE TABLE "relative_registrations" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "staffName" varchar(50) NOT NULL, "staffPost" varchar(50) NOT NULL, "staffUnit" varchar(100) NOT NULL, "townshipId" integer, "villageId" integer, "staffUserId" integer, "appointedAt" varchar(10), "relativeName" varchar(50) NOT NULL, "relativeIdNumber" varchar(18), "relationship" varchar(20) NOT NULL, "program" varchar(30), "startDate" varchar(10), "registeredAt" varchar(10), "homeVisitDate" varchar(10), "homeVisitResult" text, "endedAt" varchar(10), "endReason" varchar(200), "createdAt" datetime NOT NULL, "updatedAt" datetime NOT NULL, "updatedBy" varchar(50) NOT NULL)`);
        await queryRunner.query(`INSERT INTO "relative_registrations"("id", "staffName", "staffPost", "staffUnit", "townshipId", "villageId", "staffUserId", "appointedAt", "relativeName", "relativeIdNumber", "relationship", "program", "startDate", "registeredAt", "homeVisitDate", "homeVisitResult", "endedAt", "endReason", "createdAt", "updatedAt", "updatedBy") SELECT "id", "staffName", "staffPost", "staffUnit", "townshipId", "villageId", "staffUserId", "appointedAt", "relativeName", "relativeIdNumber", "relationship", "program", "startDate", "registeredAt", "homeVisitDate", "homeVisitResult", "endedAt", "endReason", "createdAt", "updatedAt", "updatedBy" FROM "temporary_relative_registrations"`);
        await queryRunner.query(`DROP TABLE "temporary_relative_registrations"`);
        await queryRunner.query(`CREATE INDEX "IDX_6846ad3f4c9e3248219964bc6e" ON "relative_registrations" ("staffUserId") `);
        await queryRunner.query(`CREATE INDEX "IDX_7f6c41de404572632dc5bb43c7" ON "relative_registrations" ("relativeIdNumber") `);
        await queryRunner.query(`DROP INDEX "IDX_fe0bb3f6520ee0469504521e71"`);
        await queryRunner.query(`ALTER TABLE "users" RENAME TO "temporary_users"`);
        await queryRunner.query(`CREATE TABLE "users" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "username" varchar(40) NOT NULL, "displayName" varchar(50) NOT NULL, "passwordHash" varchar(200) NOT NULL, "role" varchar(20) NOT NULL, "townshipId" integer, "idNumber" varchar(18), "phone" varchar(20), "disabled" boolean NOT NULL DEFAULT (0), "lastLoginAt" datetime, "passwordChangedAt" datetime, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime NOT NULL DEFAULT (datetime('now')), CONSTRAINT "FK_f8d965835223c60735fd7590fe4" FOREIGN KEY ("townshipId") REFERENCES "townships" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`);
        await queryRunner.query(`INSERT INTO "users"("id", "username", "displayName", "passwordHash", "role", "townshipId", "idNumber", "phone", "disabled", "lastLoginAt", "passwordChangedAt", "createdAt", "updatedAt") SELECT "id", "username", "displayName", "passwordHash", "role", "townshipId", "idNumber", "phone", "disabled", "lastLoginAt", "passwordChangedAt", "createdAt", "updatedAt" FROM "temporary_users"`);
        await queryRunner.query(`DROP TABLE "temporary_users"`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_fe0bb3f6520ee0469504521e71" ON "users" ("username") `);
        await queryRunner.query(`CREATE INDEX "IDX_9e99e4b4d53f964b26e6002274" ON "relative_registrations" ("relativeName", "villageId") `);
        await queryRunner.query(`PRAGMA legacy_alter_table = OFF`);
    }

}
