import { RollupModule } from './regions/rollup.module';
import { RegionsModule } from './regions/regions.module';
import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { JobsModule } from './jobs/jobs.module';
import { ProtectionModule } from './protection/protection.module';
import { LookupModule } from './lookup/lookup.module';
import { QueuesModule } from './queues/queues.module';
import { RepeatsModule } from './repeats/repeats.module';
import { ReportsModule } from './reports/reports.module';
import { SpotChecksModule } from './spotchecks/spotchecks.module';
import { ReferralsModule } from './referrals/referrals.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CalendarModule } from './calendar/calendar.module';
import { CasesModule } from './cases/cases.module';
import { HistoryModule } from './cases/history/history.module';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthController } from './health/health.controller';
import { HomeController } from './health/home.controller';
import { SeedModule } from './seed/seed.module';
import { TownshipsModule } from './townships/townships.module';
import { UsersModule } from './users/users.module';
import { WorkflowModule } from './workflow/workflow.module';

@Module({
  imports: [ScheduleModule.forRoot(), ConfigModule, DatabaseModule, RegionsModule, HistoryModule, AuditModule, CalendarModule, AuthModule, TownshipsModule, UsersModule, CasesModule, WorkflowModule, ProtectionModule, ReferralsModule, RepeatsModule, ReportsModule, SpotChecksModule, LookupModule, QueuesModule, JobsModule, SeedModule, RollupModule],
  controllers: [HealthController, HomeController],
})
export class AppModule {}
