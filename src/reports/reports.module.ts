import { Module } from '@nestjs/common';
import { SpotChecksModule } from '../spotchecks/spotchecks.module';
import { TownshipsModule } from '../townships/townships.module';
import { DashboardService } from './dashboard.service';
import { MonthlyStatsService } from './monthly-stats.service';
import { WeeklyReportService } from './weekly-report.service';
import { ReportsController } from './reports.controller';

@Module({ imports: [TownshipsModule, SpotChecksModule], controllers: [ReportsController], providers: [MonthlyStatsService, DashboardService, WeeklyReportService], exports: [MonthlyStatsService, DashboardService] })
export class ReportsModule {}
