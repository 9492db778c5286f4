import { MigrationInterface, QueryRunner } from "typeorm";

export class ProtectionReferrals1763900000000 implements MigrationInterface {
    name = 'ProtectionReferrals1763900000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "case_recusals" ("caseId" integer NOT NULL, "userId" integer NOT NULL, "reason" varchar(10) NOT NULL, "registrationId" integer, PRIMARY KEY ("caseId", "userId"))`);
        await queryRunner.query(`CREATE INDEX "IDX_35fd88bb9568c995ce017eb92a" ON "case_recusals" ("userId") `);
        await queryRunner.query(`CREATE TABLE "relative_registrations" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "staffName" varchar(50) NOT NULL, "staffPost" varchar(50) NOT NULL, "staffUnit" varchar(100) NOT NULL, "townshipId" integer, "villageId" integer, "staffUserId" integer, "appointedAt" varchar(10), "relativeName" varchar(50) NOT NULL, "relativeIdNumber" varchar(18), "relationship" varchar(20) NOT NULL, "program" varchar(30), "startDate" varchar(10), "registeredAt" varchar(10), "homeVisitDate" varchar(10), "homeVisitResult" text, "endedAt" varchar(10), "endReason" varchar(200), "createdAt" datetime NOT NULL, "updatedAt" datetime NOT NULL, "updatedBy" varchar(50) NOT NULL)`);
        await queryRunner.query(`CREATE INDEX "IDX_6846ad3f4c9e3248219964bc6e" ON "relative_registrations" ("staffUserId") `);
        await queryRunner.query(`CREATE INDEX "IDX_9e99e4b4d53f964b26e6002274" ON "relative_registrations" ("relativeName", "villageId") `);
        await queryRunner.query(`CREATE INDEX "IDX_7f6c41de404572632dc5bb43c7" ON "relative_registrations" ("relativeIdNumber") `);
        await queryRunner.query(`CREATE TABLE "referrals" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "leadNo" varchar(20) NOT NULL, "source" varchar(100) NOT NULL, "mainProblem" text NOT NULL, "verificationSoFar" text, "subjectName" varchar(50), "subjectUnit" varchar(100), "subjectPost" varchar(50), "reporterType" varchar(12) NOT NULL, "reporterName" varchar(50), "reporterPhone" varchar(20), "attachments" text, "handlerId" integer NOT NULL, "status" varchar(20) NOT NULL, "referredAt" datetime NOT NULL, "referredById" integer NOT NULL, "referredByName" varchar(50) NOT NULL, "acknowledgedAt" datetime, "disposal" varchar(20), "disposalNote" text, "disposedAt" datetime, "resultDate" varchar(10), "resultSummary" text, "resultReturnedAt" datetime, "reporterNoticeDate" varchar(10), "reporterFeedbackDate" varchar(10))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_add081351cc92b116ee909cbc2" ON "referrals" ("leadNo") `);
        await queryRunner.query(`CREATE INDEX "IDX_e1162963888dc1f9fa81ef578d" ON "referrals" ("handlerId", "status") `);
        await queryRunner.query(`CREATE TABLE "referral_cases" ("referralId" integer NOT NULL, "caseId" integer NOT NULL, PRIMARY KEY ("referralId", "caseId"))`);
        await queryRunner.query(`CREATE INDEX "IDX_28a2a70984675bd4e9623fc745" ON "referral_cases" ("caseId") `);
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
        await queryRunner.query(`CREATE TABLE "temporary_cases" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "caseNo" varchar(20) NOT NULL, "channel" varchar(20) NOT NULL, "kind" varchar(20) NOT NULL, "program" varchar(30) NOT NULL, "problemTypes" text NOT NULL DEFAULT (''), "reporterType" varchar(12) NOT NULL, "reporterName" varchar(50), "reporterPhone" varchar(20), "reporterIdNumber" varchar(18), "reporterAddress" varchar(200), "townshipId" integer, "villageId" integer, "subjectName" varchar(50), "subjectUnit" varchar(100), "subjectPost" varchar(50), "content" text NOT NULL, "urgency" varchar(12) NOT NULL DEFAULT ('normal'), "status" varchar(20) NOT NULL, "receivedAt" datetime NOT NULL, "assignedAt" datetime, "closedAt" datetime, "closeReason" varchar(20), "createdById" integer NOT NULL, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime NOT NULL DEFAULT (datetime('now')), "version" integer NOT NULL DEFAULT (1), "acknowledgedAt" datetime, "dueDate" varchar(10), "dueState" varchar(10), "calendarMissingYear" integer, "urgedAt" datetime, "urgeNote" text, "urgeCount" integer NOT NULL DEFAULT (0), "verificationOutcome" varchar(20), "verifiedAt" datetime, "feedbackAt" datetime, "callbackResult" varchar(20), "callbackAttempts" integer NOT NULL DEFAULT (0), "pendingExtensionDays" integer, "pendingExtensionReason" text, "reporterDisclosedToTownshipId" integer, "reporterDisclosureReason" text, "relativeFlag" boolean NOT NULL DEFAULT (0), "relativeRegistrationId" integer, "countyVisitAt" datetime, CONSTRAINT "FK_d4e316c0c581c512cec1ca4c543" FOREIGN KEY ("townshipId") REFERENCES "townships" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_b4dd6c50128e6abace45fecf5da" FOREIGN KEY ("villageId") REFERENCES "villages" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_5983985ad937d07488a0445cf04" FOREIGN KEY ("createdById") REFERENCES "users" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`);
        await queryRunner.query(`INSERT INTO "temporary_cases"("id", "caseNo", "channel", "kind", "program", "problemTypes", "reporterType", "reporterName", "reporterPhone", "reporterIdNumber", "reporterAddress", "townshipId", "villageId", "subjectName", "subjectUnit", "subjectPost", "content", "urgency", "status", "receivedAt", "assignedAt", "closedAt", "closeReason", "createdById", "createdAt", "updatedAt", "version", "acknowledgedAt", "dueDate", "dueState", "calendarMissingYear", "urgedAt", "urgeNote", "urgeCount", "verificationOutcome", "verifiedAt", "feedbackAt", "callbackResult", "callbackAttempts", "pendingExtensionDays", "pendingExtensionReason") SELECT "id", "caseNo", "channel", "kind", "program", "problemTypes", "reporterType", "reporterName", "reporterPhone", "reporterIdNumber", "reporterAddress", "townshipId", "villageId", "subjectName", "subjectUnit", "subjectPost", "content", "urgency", "status", "receivedAt", "assignedAt", "closedAt", "closeReason", "createdById", "createdAt", "updatedAt", "version", "acknowledgedAt", "dueDate", "dueState", "calendarMissingYear", "urgedAt", "urgeNote", "urgeCount", "verificationOutcome", "verifiedAt", "feedbackAt", "callbackResult", "callbackAttempts", "pendingExtensionDays", "pendingExtensionReason" FROM "cases"`);
        await queryRunner.query(`DROP TABLE "cases"`);
        await queryRunner.query(`ALTER TABLE "temporary_cases" RENAME TO "cases"`);
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
        await queryRunner.query(`DROP INDEX "IDX_case_deadlines_open_due"`);
        await queryRunner.query(`DROP INDEX "IDX_case_deadlines_case"`);
        await queryRunner.query(`CREATE TABLE "temporary_case_deadlines" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "caseId" integer NOT NULL, "stage" varchar(30) NOT NULL, "startDate" varchar(10) NOT NULL, "limitValue" integer NOT NULL, "unit" varchar(10) NOT NULL, "ruleId" integer, "extension" integer NOT NULL DEFAULT (0), "dueDate" varchar(10), "missingYear" integer, "status" varchar(10) NOT NULL DEFAULT ('open'), "dueState" varchar(10) NOT NULL DEFAULT ('ok'), "remaining" integer, "createdAt" datetime NOT NULL, "closedAt" datetime, "late" boolean, "referralId" integer, CONSTRAINT "FK_bd5e656057736f698fa64085c89" FOREIGN KEY ("caseId") REFERENCES "cases" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
        await queryRunner.query(`INSERT INTO "temporary_case_deadlines"("id", "caseId", "stage", "startDate", "limitValue", "unit", "ruleId", "extension", "dueDate", "missingYear", "status", "dueState", "remaining", "createdAt", "closedAt", "late") SELECT "id", "caseId", "stage", "startDate", "limitValue", "unit", "ruleId", "extension", "dueDate", "missingYear", "status", "dueState", "remaining", "createdAt", "closedAt", "late" FROM "case_deadlines"`);
        await queryRunner.query(`DROP TABLE "case_deadlines"`);
        await queryRunner.query(`ALTER TABLE "temporary_case_deadlines" RENAME TO "case_deadlines"`);
        await queryRunner.query(`CREATE INDEX "IDX_case_deadlines_open_due" ON "case_deadlines" ("status", "dueState", "dueDate") `);
        await queryRunner.query(`CREATE INDEX "IDX_case_deadlines_case" ON "case_deadlines" ("caseId", "stage") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "IDX_case_deadlines_case"`);
        await queryRunner.query(`DROP INDEX "IDX_case_deadlines_open_due"`);
        await queryRunner.query(`ALTER TABLE "case_deadlines" RENAME TO "temporary_case_deadlines"`);
        await queryRunner.query(`CREATE TABLE "case_deadlines" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "caseId" integer NOT NULL, "stage" varchar(30) NOT NULL, "startDate" varchar(10) NOT NULL, "limitValue" integer NOT NULL, "unit" varchar(10) NOT NULL, "ruleId" integer, "extension" integer NOT NULL DEFAULT (0), "dueDate" varchar(10), "missingYear" integer, "status" varchar(10) NOT NULL DEFAULT ('open'), "dueState" varchar(10) NOT NULL DEFAULT ('ok'), "remaining" integer, "createdAt" datetime NOT NULL, "closedAt" datetime, "late" boolean, CONSTRAINT "FK_bd5e656057736f698fa64085c89" FOREIGN KEY ("caseId") REFERENCES "cases" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
        await queryRunner.query(`INSERT INTO "case_deadlines"("id", "caseId", "stage", "startDate", "limitValue", "unit", "ruleId", "extension", "dueDate", "missingYear", "status", "dueState", "remaining", "createdAt", "closedAt", "late") SELECT "id", "caseId", "stage", "startDate", "limitValue", "unit", "ruleId", "extension", "dueDate", "missingYear", "status", "dueState", "remaining", "createdAt", "closedAt", "late" FROM "temporary_case_deadlines"`);
        await queryRunner.query(`DROP TABLE "temporary_case_deadlines"`);
        await queryRunner.query(`CREATE INDEX "IDX_case_deadlines_case" ON "case_deadlines" ("caseId", "stage") `);
        await queryRunner.query(`CREATE INDEX "IDX_case_deadlines_open_due" ON "case_deadlines" ("status", "dueState", "dueDate") `);
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
        await queryRunner.query(`ALTER TABLE "cases" RENAME TO "temporary_cases"`);
        await queryRunner.query(`CREATE TABLE "cases" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "caseNo" varchar(20) NOT NULL, "channel" varchar(20) NOT NULL, "kind" varchar(20) NOT NULL, "program" varchar(30) NOT NULL, "problemTypes" text NOT NULL DEFAULT (''), "reporterType" varchar(12) NOT NULL, "reporterName" varchar(50), "reporterPhone" varchar(20), "reporterIdNumber" varchar(18), "reporterAddress" varchar(200), "townshipId" integer, "villageId" integer, "subjectName" varchar(50), "subjectUnit" varchar(100), "subjectPost" varchar(50), "content" text NOT NULL, "urgency" varchar(12) NOT NULL DEFAULT ('normal'), "status" varchar(20) NOT NULL, "receivedAt" datetime NOT NULL, "assignedAt" datetime, "closedAt" datetime, "closeReason" varchar(20), "createdById" integer NOT NULL, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime NOT NULL DEFAULT (datetime('now')), "version" integer NOT NULL DEFAULT (1), "acknowledgedAt" datetime, "dueDate" varchar(10), "dueState" varchar(10), "calendarMissingYear" integer, "urgedAt" datetime, "urgeNote" text, "urgeCount" integer NOT NULL DEFAULT (0), "verificationOutcome" varchar(20), "verifiedAt" datetime, "feedbackAt" datetime, "callbackResult" varchar(20), "callbackAttempts" integer NOT NULL DEFAULT (0), "pendingExtensionDays" integer, "pendingExtensionReason" text, CONSTRAINT "FK_d4e316c0c581c512cec1ca4c543" FOREIGN KEY ("townshipId") REFERENCES "townships" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_b4dd6c50128e6abace45fecf5da" FOREIGN KEY ("villageId") REFERENCES "villages" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_5983985ad937d07488a0445cf04" FOREIGN KEY ("createdById") REFERENCES "users" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`);
        await queryRunner.query(`INSERT INTO "cases"("id", "caseNo", "channel", "kind", "program", "problemTypes", "reporterType", "reporterName", "reporterPhone", "reporterIdNumber", "reporterAddress", "townshipId", "villageId", "subjectName", "subjectUnit", "subjectPost", "content", "urgency", "status", "receivedAt", "assignedAt", "closedAt", "closeReason", "createdById", "createdAt", "updatedAt", "version", "acknowledgedAt", "dueDate", "dueState", "calendarMissingYear", "urgedAt", "urgeNote", "urgeCount", "verificationOutcome", "verifiedAt", "feedbackAt", "callbackResult", "callbackAttempts", "pendingExtensionDays", "pendingExtensionReason") SELECT "id", "caseNo", "channel", "kind", "program", "problemTypes", "reporterType", "reporterName", "reporterPhone", "reporterIdNumber", "reporterAddress", "townshipId", "villageId", "subjectName", "subjectUnit", "subjectPost", "content", "urgency", "status", "receivedAt", "assignedAt", "closedAt", "closeReason", "createdById", "createdAt", "updatedAt", "version", "acknowledgedAt", "dueDate", "dueState", "calendarMissingYear", "urgedAt", "urgeNote", "urgeCount", "verificationOutcome", "verifiedAt", "feedbackAt", "callbackResult", "callbackAttempts", "pendingExtensionDays", "pendingExtensionReason" FROM "temporary_cases"`);
        await queryRunner.query(`DROP TABLE "temporary_cases"`);
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
        await queryRunner.query(`DROP INDEX "IDX_28a2a70984675bd4e9623fc745"`);
        await queryRunner.query(`DROP TABLE "referral_cases"`);
        await queryRunner.query(`DROP INDEX "IDX_e1162963888dc1f9fa81ef578d"`);
        await queryRunner.query(`DROP INDEX "IDX_add081351cc92b116ee909cbc2"`);
        await queryRunner.query(`DROP TABLE "referrals"`);
        await queryRunner.query(`DROP INDEX "IDX_7f6c41de404572632dc5bb43c7"`);
        await queryRunner.query(`DROP INDEX "IDX_9e99e4b4d53f964b26e6002274"`);
        await queryRunner.query(`DROP INDEX "IDX_6846ad3f4c9e3248219964bc6e"`);
        await queryRunner.query(`DROP TABLE "relative_registrations"`);
        await queryRunner.query(`DROP INDEX "IDX_35fd88bb9568c995ce017eb92a"`);
        await queryRunner.query(`DROP TABLE "case_recusals"`);
    }

}
