import { MigrationInterface, QueryRunner } from "typeorm";

export class ReportsLookupRepeats1764000000000 implements MigrationInterface {
    name = 'ReportsLookupRepeats1764000000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "repeat_dismissals" ("caseId" integer NOT NULL, "otherId" integer NOT NULL, "byId" integer NOT NULL, "at" datetime NOT NULL, PRIMARY KEY ("caseId", "otherId"))`);
        await queryRunner.query(`CREATE TABLE "spot_checks" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "drawnAt" datetime NOT NULL, "drawnById" integer NOT NULL, "drawnByName" varchar(50) NOT NULL, "townshipId" integer, "fromDate" varchar(10) NOT NULL, "toDate" varchar(10) NOT NULL, "population" integer NOT NULL)`);
        await queryRunner.query(`CREATE TABLE "spot_check_items" ("spotCheckId" integer NOT NULL, "caseId" integer NOT NULL, "result" varchar(20), "note" text, "checkedAt" datetime, "checkedByName" varchar(50), PRIMARY KEY ("spotCheckId", "caseId"))`);
        await queryRunner.query(`CREATE INDEX "IDX_0c71fd36c6fb54c39acadc2f3c" ON "spot_check_items" ("caseId") `);
        await queryRunner.query(`DROP INDEX "IDX_cases_received"`);
        await queryRunner.query(`DROP INDEX "IDX_cases_township_received"`);
        await queryRunner.query(`DROP INDEX "IDX_cases_status_received"`);
        await queryRunner.query(`DROP INDEX "IDX_cases_kind_received"`);
        await queryRunner.query(`DROP INDEX "IDX_cases_program_received"`);
        await queryRunner.query(`DROP INDEX "IDX_cases_channel_received"`);
        await queryRunner.query(`DROP INDEX "IDX_239ced40865446c9e8c745a726"`);
        await queryRunner.query(`DROP INDEX "IDX_e0d0a8b84be3161bd970450422"`);
        await queryRunner.query(`DROP INDEX "IDX_c5c8fcc1bf475e883abccd1331"`);
        await queryRunner.query(`DROP INDEX "IDX_cases_pending_extension"`);
        await queryRunner.query(`DROP INDEX "IDX_cases_due_state"`);
        await queryRunner.query(`DROP INDEX "IDX_cases_township_due"`);
        await queryRunner.query(`CREATE TABLE "temporary_cases" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "caseNo" varchar(20) NOT NULL, "channel" varchar(20) NOT NULL, "kind" varchar(20) NOT NULL, "program" varchar(30) NOT NULL, "problemTypes" text NOT NULL DEFAULT (''), "reporterType" varchar(12) NOT NULL, "reporterName" varchar(50), "reporterPhone" varchar(20), "reporterIdNumber" varchar(18), "reporterAddress" varchar(200), "townshipId" integer, "villageId" integer, "subjectName" varchar(50), "subjectUnit" varchar(100), "subjectPost" varchar(50), "content" text NOT NULL, "urgency" varchar(12) NOT NULL DEFAULT ('normal'), "status" varchar(20) NOT NULL, "receivedAt" datetime NOT NULL, "assignedAt" datetime, "closedAt" datetime, "closeReason" varchar(20), "createdById" integer NOT NULL, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime NOT NULL DEFAULT (datetime('now')), "version" integer NOT NULL DEFAULT (1), "acknowledgedAt" datetime, "dueDate" varchar(10), "dueState" varchar(10), "calendarMissingYear" integer, "urgedAt" datetime, "urgeNote" text, "urgeCount" integer NOT NULL DEFAULT (0), "verificationOutcome" varchar(20), "verifiedAt" datetime, "feedbackAt" datetime, "callbackResult" varchar(20), "callbackAttempts" integer NOT NULL DEFAULT (0), "pendingExtensionDays" integer, "pendingExtensionReason" text, "reporterDisclosedToTownshipId" integer, "reporterDisclosureReason" text, "relativeFlag" boolean NOT NULL DEFAULT (0), "relativeRegistrationId" integer, "countyVisitAt" datetime, "queryCodeHash" varchar(64), "repeatOfId" integer, CONSTRAINT "FK_5983985ad937d07488a0445cf04" FOREIGN KEY ("createdById") REFERENCES "users" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_b4dd6c50128e6abace45fecf5da" FOREIGN KEY ("villageId") REFERENCES "villages" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_d4e316c0c581c512cec1ca4c543" FOREIGN KEY ("townshipId") REFERENCES "townships" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`);
        await queryRunner.query(`INSERT INTO "temporary_cases"("id", "caseNo", "channel", "kind", "program", "problemTypes", "reporterType", "reporterName", "reporterPhone", "reporterIdNumber", "reporterAddress", "townshipId", "villageId", "subjectName", "subjectUnit", "subjectPost", "content", "urgency", "status", "receivedAt", "assignedAt", "closedAt", "closeReason", "createdById", "createdAt", "updatedAt", "version", "acknowledgedAt", "dueDate", "dueState", "calendarMissingYear", "urgedAt", "urgeNote", "urgeCount", "verificationOutcome", "verifiedAt", "feedbackAt", "callbackResult", "callbackAttempts", "pendingExtensionDays", "pendingExtensionReason", "reporterDisclosedToTownshipId", "reporterDisclosureReason", "relativeFlag", "relativeRegistrationId", "countyVisitAt") SELECT "id", "caseNo", "channel", "kind", "program", "problemTypes", "reporterType", "reporterName", "reporterPhone", "reporterIdNumber", "reporterAddress", "townshipId", "villageId", "subjectName", "subjectUnit", "subjectPost", "content", "urgency", "status", "receivedAt", "assignedAt", "closedAt", "closeReason", "createdById", "createdAt", "updatedAt", "version", "acknowledgedAt", "dueDate", "dueState", "calendarMissingYear", "urgedAt", "urgeNote", "urgeCount", "verificationOutcome", "verifiedAt", "feedbackAt", "callbackResult", "callbackAttempts", "pendingExtensionDays", "pendingExtensionReason", "reporterDisclosedToTownshipId", "reporterDisclosureReason", "relativeFlag", "relativeRegistrationId", "countyVisitAt" FROM "cases"`);
        await queryRunner.query(`DROP TABLE "cases"`);
        await queryRunner.query(`ALTER TABLE "temporary_cases" RENAME TO "cases"`);
        await queryRunner.query(`CREATE INDEX "IDX_cases_received" ON "cases" ("receivedAt", "id") `);
        await queryRunner.query(`CREATE INDEX "IDX_cases_township_received" ON "cases" ("townshipId", "receivedAt", "id") `);
        await queryRunner.query(`CREATE INDEX "IDX_cases_status_received" ON "cases" ("status", "receivedAt", "id") `);
        await queryRunner.query(`CREATE INDEX "IDX_cases_kind_received" ON "cases" ("kind", "receivedAt", "id") `);
        await queryRunner.query(`CREATE INDEX "IDX_cases_program_received" ON "cases" ("program", "receivedAt", "id") `);
        await queryRunner.query(`CREATE INDEX "IDX_cases_channel_received" ON "cases" ("channel", "receivedAt", "id") `);
        await queryRunner.query(`CREATE INDEX "IDX_239ced40865446c9e8c745a726" ON "cases" ("reporterIdNumber") `);
        await queryRunner.query(`CREATE INDEX "IDX_e0d0a8b84be3161bd970450422" ON "cases" ("reporterPhone") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_c5c8fcc1bf475e883abccd1331" ON "cases" ("caseNo") `);
        await queryRunner.query(`CREATE INDEX "IDX_cases_pending_extension" ON "cases" ("pendingExtensionDays") WHERE "pendingExtensionDays" IS NOT NULL`);
        await queryRunner.query(`CREATE INDEX "IDX_cases_due_state" ON "cases" ("dueState", "townshipId") WHERE "dueState" IS NOT NULL`);
        await queryRunner.query(`CREATE INDEX "IDX_cases_township_due" ON "cases" ("townshipId", "dueDate") WHERE "dueDate" IS NOT NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "IDX_cases_township_due"`);
        await queryRunner.query(`DROP INDEX "IDX_cases_due_state"`);
        await queryRunner.query(`DROP INDEX "IDX_cases_pending_extension"`);
        await queryRunner.query(`DROP INDEX "IDX_c5c8fcc1bf475e883abccd1331"`);
        await queryRunner.query(`DROP INDEX "IDX_e0d0a8b84be3161bd970450422"`);
        await queryRunner.query(`DROP INDEX "IDX_239ced40865446c9e8c745a726"`);
        await queryRunner.query(`DROP INDEX "IDX_cases_channel_received"`);
        await queryRunner.query(`DROP INDEX "IDX_cases_program_received"`);
        await queryRunner.query(`DROP INDEX "IDX_cases_kind_received"`);
        await queryRunner.query(`DROP INDEX "IDX_cases_status_received"`);
        await queryRunner.query(`DROP INDEX "IDX_cases_township_received"`);
        await queryRunner.query(`DROP INDEX "IDX_cases_received"`);
        await queryRunner.query(`ALTER TABLE "cases" RENAME TO "temporary_cases"`);
        await queryRunner.query(`CREATE TABLE "cases" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "caseNo" varchar(20) NOT NULL, "channel" varchar(20) NOT NULL, "kind" varchar(20) NOT NULL, "program" varchar(30) NOT NULL, "problemTypes" text NOT NULL DEFAULT (''), "reporterType" varchar(12) NOT NULL, "reporterName" varchar(50), "reporterPhone" varchar(20), "reporterIdNumber" varchar(18), "reporterAddress" varchar(200), "townshipId" integer, "villageId" integer, "subjectName" varchar(50), "subjectUnit" varchar(100), "subjectPost" varchar(50), "content" text NOT NULL, "urgency" varchar(12) NOT NULL DEFAULT ('normal'), "status" varchar(20) NOT NULL, "receivedAt" datetime NOT NULL, "assignedAt" datetime, "closedAt" datetime, "closeReason" varchar(20), "createdById" integer NOT NULL, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime NOT NULL DEFAULT (datetime('now')), "version" integer NOT NULL DEFAULT (1), "acknowledgedAt" datetime, "dueDate" varchar(10), "dueState" varchar(10), "calendarMissingYear" integer, "urgedAt" datetime, "urgeNote" text, "urgeCount" integer NOT NULL DEFAULT (0), "verificationOutcome" varchar(20), "verifiedAt" datetime, "feedbackAt" datetime, "callbackResult" varchar(20), "callbackAttempts" integer NOT NULL DEFAULT (0), "pendingExtensionDays" integer, "pendingExtensionReason" text, "reporterDisclosedToTownshipId" integer, "reporterDisclosureReason" text, "relativeFlag" boolean NOT NULL DEFAULT (0), "relativeRegistrationId" integer, "countyVisitAt" datetime, CONSTRAINT "FK_5983985ad937d07488a0445cf04" FOREIGN KEY ("createdById") REFERENCES "users" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_b4dd6c50128e6abace45fecf5da" FOREIGN KEY ("villageId") REFERENCES "villages" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_d4e316c0c581c512cec1ca4c543" FOREIGN KEY ("townshipId") REFERENCES "townships" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`);
        await queryRunner.query(`INSERT INTO "cases"("id", "caseNo", "channel", "kind", "program", "problemTypes", "reporterType", "reporterName", "reporterPhone", "reporterIdNumber", "reporterAddress", "townshipId", "villageId", "subjectName", "subjectUnit", "subjectPost", "content", "urgency", "status", "receivedAt", "assignedAt", "closedAt", "closeReason", "createdById", "createdAt", "updatedAt", "version", "acknowledgedAt", "dueDate", "dueState", "calendarMissingYear", "urgedAt", "urgeNote", "urgeCount", "verificationOutcome", "verifiedAt", "feedbackAt", "callbackResult", "callbackAttempts", "pendingExtensionDays", "pendingExtensionReason", "reporterDisclosedToTownshipId", "reporterDisclosureReason", "relativeFlag", "relativeRegistrationId", "countyVisitAt") SELECT "id", "caseNo", "channel", "kind", "program", "problemTypes", "reporterType", "reporterName", "reporterPhone", "reporterIdNumber", "reporterAddress", "townshipId", "villageId", "subjectName", "subjectUnit", "subjectPost", "content", "urgency", "status", "receivedAt", "assignedAt", "closedAt", "closeReason", "createdById", "createdAt", "updatedAt", "version", "acknowledgedAt", "dueDate", "dueState", "calendarMissingYear", "urgedAt", "urgeNote", "urgeCount", "verificationOutcome", "verifiedAt", "feedbackAt", "callbackResult", "callbackAttempts", "pendingExtensionDays", "pendingExtensionReason", "reporterDisclosedToTownshipId", "reporterDisclosureReason", "relativeFlag", "relativeRegistrationId", "countyVisitAt" FROM "temporary_cases"`);
        await queryRunner.query(`DROP TABLE "temporary_cases"`);
        await queryRunner.query(`CREATE INDEX "IDX_cases_township_due" ON "cases" ("townshipId", "dueDate") WHERE "dueDate" IS NOT NULL`);
        await queryRunner.query(`CREATE INDEX "IDX_cases_due_state" ON "cases" ("dueState", "townshipId") WHERE "dueState" IS NOT NULL`);
        await queryRunner.query(`CREATE INDEX "IDX_cases_pending_extension" ON "cases" ("pendingExtensionDays") WHERE "pendingExtensionDays" IS NOT NULL`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_c5c8fcc1bf475e883abccd1331" ON "cases" ("caseNo") `);
        await queryRunner.query(`CREATE INDEX "IDX_e0d0a8b84be3161bd970450422" ON "cases" ("reporterPhone") `);
        await queryRunner.query(`CREATE INDEX "IDX_239ced40865446c9e8c745a726" ON "cases" ("reporterIdNumber") `);
        await queryRunner.query(`CREATE INDEX "IDX_cases_channel_received" ON "cases" ("channel", "receivedAt", "id") `);
        await queryRunner.query(`CREATE INDEX "IDX_cases_program_received" ON "cases" ("program", "receivedAt", "id") `);
        await queryRunner.query(`CREATE INDEX "IDX_cases_kind_received" ON "cases" ("kind", "receivedAt", "id") `);
        await queryRunner.query(`CREATE INDEX "IDX_cases_status_received" ON "cases" ("status", "receivedAt", "id") `);
        await queryRunner.query(`CREATE INDEX "IDX_cases_township_received" ON "cases" ("townshipId", "receivedAt", "id") `);
        await queryRunner.query(`CREATE INDEX "IDX_cases_received" ON "cases" ("receivedAt", "id") `);
        await queryRunner.query(`DROP INDEX "IDX_0c71fd36c6fb54c39acadc2f3c"`);
        await queryRunner.query(`DROP TABLE "spot_check_items"`);
        await queryRunner.query(`DROP TABLE "spot_checks"`);
        await queryRunner.query(`DROP TABLE "repeat_dismissals"`);
    }

}
