import { MigrationInterface, QueryRunner } from "typeorm";

export class WorkflowDeadlines1763800000000 implements MigrationInterface {
    name = 'WorkflowDeadlines1763800000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "calendar_days" ("date" varchar(10) PRIMARY KEY NOT NULL, "year" integer NOT NULL, "type" varchar(10) NOT NULL, "name" varchar(20) NOT NULL)`);
        await queryRunner.query(`CREATE INDEX "IDX_36dea1c9a0e2dbdf8cef8e2217" ON "calendar_days" ("year") `);
        await queryRunner.query(`CREATE TABLE "calendar_years" ("year" integer PRIMARY KEY NOT NULL, "source" varchar(200) NOT NULL, "updatedAt" datetime NOT NULL, "updatedBy" varchar(50) NOT NULL)`);
        await queryRunner.query(`CREATE TABLE "case_deadlines" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "caseId" integer NOT NULL, "stage" varchar(30) NOT NULL, "startDate" varchar(10) NOT NULL, "limitValue" integer NOT NULL, "unit" varchar(10) NOT NULL, "ruleId" integer, "extension" integer NOT NULL DEFAULT (0), "dueDate" varchar(10), "missingYear" integer, "status" varchar(10) NOT NULL DEFAULT ('open'), "dueState" varchar(10) NOT NULL DEFAULT ('ok'), "remaining" integer, "createdAt" datetime NOT NULL, "closedAt" datetime, "late" boolean)`);
        await queryRunner.query(`CREATE INDEX "IDX_case_deadlines_case" ON "case_deadlines" ("caseId", "stage") `);
        await queryRunner.query(`CREATE INDEX "IDX_case_deadlines_open_due" ON "case_deadlines" ("status", "dueState", "dueDate") `);
        await queryRunner.query(`CREATE TABLE "deadline_rules" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "stage" varchar(30) NOT NULL, "kind" varchar(20), "program" varchar(30), "limitValue" integer NOT NULL, "unit" varchar(10) NOT NULL, "maxExtension" integer NOT NULL DEFAULT (0), "source" varchar(300) NOT NULL, "updatedAt" datetime NOT NULL, "updatedBy" varchar(50) NOT NULL)`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_35e55f0c3adc1800b03109f273" ON "deadline_rules" ("stage", "kind", "program") `);
        await queryRunner.query(`CREATE TABLE "job_leases" ("name" varchar(40) PRIMARY KEY NOT NULL, "holder" varchar(80) NOT NULL, "expiresAt" datetime NOT NULL, "lastRunAt" datetime, "lastResult" text)`);
        await queryRunner.query(`CREATE TABLE "notifications" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "userId" integer NOT NULL, "caseId" integer, "type" varchar(20) NOT NULL, "eventKey" varchar(120) NOT NULL, "message" varchar(300) NOT NULL, "createdAt" datetime NOT NULL, "readAt" datetime)`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_b0a45493af7d9873175eee482b" ON "notifications" ("eventKey") `);
        await queryRunner.query(`CREATE INDEX "IDX_notifications_user_unread" ON "notifications" ("userId", "readAt", "id") `);
        await queryRunner.query(`DROP INDEX "IDX_cases_received"`);
        await queryRunner.query(`DROP INDEX "IDX_cases_township_received"`);
        await queryRunner.query(`DROP INDEX "IDX_cases_status_received"`);
        await queryRunner.query(`DROP INDEX "IDX_cases_kind_received"`);
        await queryRunner.query(`DROP INDEX "IDX_cases_program_received"`);
        await queryRunner.query(`DROP INDEX "IDX_cases_channel_received"`);
        await queryRunner.query(`DROP INDEX "IDX_239ced40865446c9e8c745a726"`);
        await queryRunner.query(`DROP INDEX "IDX_e0d0a8b84be3161bd970450422"`);
        await queryRunner.query(`DROP INDEX "IDX_c5c8fcc1bf475e883abccd1331"`);
        await queryRunner.query(`CREATE TABLE "temporary_cases" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "caseNo" varchar(20) NOT NULL, "channel" varchar(20) NOT NULL, "kind" varchar(20) NOT NULL, "program" varchar(30) NOT NULL, "problemTypes" text NOT NULL DEFAULT (''), "reporterType" varchar(12) NOT NULL, "reporterName" varchar(50), "reporterPhone" varchar(20), "reporterIdNumber" varchar(18), "reporterAddress" varchar(200), "townshipId" integer, "villageId" integer, "subjectName" varchar(50), "subjectUnit" varchar(100), "subjectPost" varchar(50), "content" text NOT NULL, "urgency" varchar(12) NOT NULL DEFAULT ('normal'), "status" varchar(20) NOT NULL, "receivedAt" datetime NOT NULL, "assignedAt" datetime, "closedAt" datetime, "closeReason" varchar(20), "createdById" integer NOT NULL, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime NOT NULL DEFAULT (datetime('now')), "version" integer NOT NULL DEFAULT (1), "acknowledgedAt" datetime, "dueDate" varchar(10), "dueState" varchar(10), "calendarMissingYear" integer, "urgedAt" datetime, "urgeNote" text, "urgeCount" integer NOT NULL DEFAULT (0), "verificationOutcome" varchar(20), "verifiedAt" datetime, "feedbackAt" datetime, "callbackResult" varchar(20), "callbackAttempts" integer NOT NULL DEFAULT (0), "pendingExtensionDays" integer, "pendingExtensionReason" text, CONSTRAINT "FK_5983985ad937d07488a0445cf04" FOREIGN KEY ("createdById") REFERENCES "users" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_b4dd6c50128e6abace45fecf5da" FOREIGN KEY ("villageId") REFERENCES "villages" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_d4e316c0c581c512cec1ca4c543" FOREIGN KEY ("townshipId") REFERENCES "townships" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`);
        await queryRunner.query(`INSERT INTO "temporary_cases"("id", "caseNo", "channel", "kind", "program", "problemTypes", "reporterType", "reporterName", "reporterPhone", "reporterIdNumber", "reporterAddress", "townshipId", "villageId", "subjectName", "subjectUnit", "subjectPost", "content", "urgency", "status", "receivedAt", "assignedAt", "closedAt", "closeReason", "createdById", "createdAt", "updatedAt", "version") SELECT "id", "caseNo", "channel", "kind", "program", "problemTypes", "reporterType", "reporterName", "reporterPhone", "reporterIdNumber", "reporterAddress", "townshipId", "villageId", "subjectName", "subjectUnit", "subjectPost", "content", "urgency", "status", "receivedAt", "assignedAt", "closedAt", "closeReason", "createdById", "createdAt", "updatedAt", "version" FROM "cases"`);
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
        await queryRunner.query(`DROP INDEX "IDX_case_deadlines_case"`);
        await queryRunner.query(`DROP INDEX "IDX_case_deadlines_open_due"`);
        await queryRunner.query(`CREATE TABLE "temporary_case_deadlines" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "caseId" integer NOT NULL, "stage" varchar(30) NOT NULL, "startDate" varchar(10) NOT NULL, "limitValue" integer NOT NULL, "unit" varchar(10) NOT NULL, "ruleId" integer, "extension" integer NOT NULL DEFAULT (0), "dueDate" varchar(10), "missingYear" integer, "status" varchar(10) NOT NULL DEFAULT ('open'), "dueState" varchar(10) NOT NULL DEFAULT ('ok'), "remaining" integer, "createdAt" datetime NOT NULL, "closedAt" datetime, "late" boolean, CONSTRAINT "FK_bd5e656057736f698fa64085c89" FOREIGN KEY ("caseId") REFERENCES "cases" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
        await queryRunner.query(`INSERT INTO "temporary_case_deadlines"("id", "caseId", "stage", "startDate", "limitValue", "unit", "ruleId", "extension", "dueDate", "missingYear", "status", "dueState", "remaining", "createdAt", "closedAt", "late") SELECT "id", "caseId", "stage", "startDate", "limitValue", "unit", "ruleId", "extension", "dueDate", "missingYear", "status", "dueState", "remaining", "createdAt", "closedAt", "late" FROM "case_deadlines"`);
        await queryRunner.query(`DROP TABLE "case_deadlines"`);
        await queryRunner.query(`ALTER TABLE "temporary_case_deadlines" RENAME TO "case_deadlines"`);
        await queryRunner.query(`CREATE INDEX "IDX_case_deadlines_case" ON "case_deadlines" ("caseId", "stage") `);
        await queryRunner.query(`CREATE INDEX "IDX_case_deadlines_open_due" ON "case_deadlines" ("status", "dueState", "dueDate") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "IDX_case_deadlines_open_due"`);
        await queryRunner.query(`DROP INDEX "IDX_case_deadlines_case"`);
        await queryRunner.query(`ALTER TABLE "case_deadlines" RENAME TO "temporary_case_deadlines"`);
        await queryRunner.query(`CREATE TABLE "case_deadlines" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "caseId" integer NOT NULL, "stage" varchar(30) NOT NULL, "startDate" varchar(10) NOT NULL, "limitValue" integer NOT NULL, "unit" varchar(10) NOT NULL, "ruleId" integer, "extension" integer NOT NULL DEFAULT (0), "dueDate" varchar(10), "missingYear" integer, "status" varchar(10) NOT NULL DEFAULT ('open'), "dueState" varchar(10) NOT NULL DEFAULT ('ok'), "remaining" integer, "createdAt" datetime NOT NULL, "closedAt" datetime, "late" boolean)`);
        await queryRunner.query(`INSERT INTO "case_deadlines"("id", "caseId", "stage", "startDate", "limitValue", "unit", "ruleId", "extension", "dueDate", "missingYear", "status", "dueState", "remaining", "createdAt", "closedAt", "late") SELECT "id", "caseId", "stage", "startDate", "limitValue", "unit", "ruleId", "extension", "dueDate", "missingYear", "status", "dueState", "remaining", "createdAt", "closedAt", "late" FROM "temporary_case_deadlines"`);
        await queryRunner.query(`DROP TABLE "temporary_case_deadlines"`);
        await queryRunner.query(`CREATE INDEX "IDX_case_deadlines_open_due" ON "case_deadlines" ("status", "dueState", "dueDate") `);
        await queryRunner.query(`CREATE INDEX "IDX_case_deadlines_case" ON "case_deadlines" ("caseId", "stage") `);
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
        await queryRunner.query(`CREATE TABLE "cases" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "caseNo" varchar(20) NOT NULL, "channel" varchar(20) NOT NULL, "kind" varchar(20) NOT NULL, "program" varchar(30) NOT NULL, "problemTypes" text NOT NULL DEFAULT (''), "reporterType" varchar(12) NOT NULL, "reporterName" varchar(50), "reporterPhone" varchar(20), "reporterIdNumber" varchar(18), "reporterAddress" varchar(200), "townshipId" integer, "villageId" integer, "subjectName" varchar(50), "subjectUnit" varchar(100), "subjectPost" varchar(50), "content" text NOT NULL, "urgency" varchar(12) NOT NULL DEFAULT ('normal'), "status" varchar(20) NOT NULL, "receivedAt" datetime NOT NULL, "assignedAt" datetime, "closedAt" datetime, "closeReason" varchar(20), "createdById" integer NOT NULL, "createdAt" datetime NOT NULL DEFAULT (datetime('now')), "updatedAt" datetime NOT NULL DEFAULT (datetime('now')), "version" integer NOT NULL DEFAULT (1), CONSTRAINT "FK_5983985ad937d07488a0445cf04" FOREIGN KEY ("createdById") REFERENCES "users" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_b4dd6c50128e6abace45fecf5da" FOREIGN KEY ("villageId") REFERENCES "villages" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION, CONSTRAINT "FK_d4e316c0c581c512cec1ca4c543" FOREIGN KEY ("townshipId") REFERENCES "townships" ("id") ON DELETE RESTRICT ON UPDATE NO ACTION)`);
        await queryRunner.query(`INSERT INTO "cases"("id", "caseNo", "channel", "kind", "program", "problemTypes", "reporterType", "reporterName", "reporterPhone", "reporterIdNumber", "reporterAddress", "townshipId", "villageId", "subjectName", "subjectUnit", "subjectPost", "content", "urgency", "status", "receivedAt", "assignedAt", "closedAt", "closeReason", "createdById", "createdAt", "updatedAt", "version") SELECT "id", "caseNo", "channel", "kind", "program", "problemTypes", "reporterType", "reporterName", "reporterPhone", "reporterIdNumber", "reporterAddress", "townshipId", "villageId", "subjectName", "subjectUnit", "subjectPost", "content", "urgency", "status", "receivedAt", "assignedAt", "closedAt", "closeReason", "createdById", "createdAt", "updatedAt", "version" FROM "temporary_cases"`);
        await queryRunner.query(`DROP TABLE "temporary_cases"`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_c5c8fcc1bf475e883abccd1331" ON "cases" ("caseNo") `);
        await queryRunner.query(`CREATE INDEX "IDX_e0d0a8b84be3161bd970450422" ON "cases" ("reporterPhone") `);
        await queryRunner.query(`CREATE INDEX "IDX_239ced40865446c9e8c745a726" ON "cases" ("reporterIdNumber") `);
        await queryRunner.query(`CREATE INDEX "IDX_cases_channel_received" ON "cases" ("channel", "receivedAt", "id") `);
        await queryRunner.query(`CREATE INDEX "IDX_cases_program_received" ON "cases" ("program", "receivedAt", "id") `);
        await queryRunner.query(`CREATE INDEX "IDX_cases_kind_received" ON "cases" ("kind", "receivedAt", "id") `);
        await queryRunner.query(`CREATE INDEX "IDX_cases_status_received" ON "cases" ("status", "receivedAt", "id") `);
        await queryRunner.query(`CREATE INDEX "IDX_cases_township_received" ON "cases" ("townshipId", "receivedAt", "id") `);
        await queryRunner.query(`CREATE INDEX "IDX_cases_received" ON "cases" ("receivedAt", "id") `);
        await queryRunner.query(`DROP INDEX "IDX_notifications_user_unread"`);
        await queryRunner.query(`DROP INDEX "IDX_b0a45493af7d9873175eee482b"`);
        await queryRunner.query(`DROP TABLE "notifications"`);
        await queryRunner.query(`DROP TABLE "job_leases"`);
        await queryRunner.query(`DROP INDEX "IDX_35e55f0c3adc1800b03109f273"`);
        await queryRunner.query(`DROP TABLE "deadline_rules"`);
        await queryRunner.query(`DROP INDEX "IDX_case_deadlines_open_due"`);
        await queryRunner.query(`DROP INDEX "IDX_case_deadlines_case"`);
        await queryRunner.query(`DROP TABLE "case_deadlines"`);
        await queryRunner.query(`DROP TABLE "calendar_years"`);
        await queryRunner.query(`DROP INDEX "IDX_36dea1c9a0e2dbdf8cef8e2217"`);
        await queryRunner.query(`DROP TABLE "calendar_days"`);
    }

}
