import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { ReportsModule } from '../reports/reports.module';
import { RegionsController } from './regions.controller';
import { RollupService } from './rollup.service';

/** The figures across counties and 督办 of a county, for prefecture and province supervisors. */
@Module({ imports: [ReportsModule, NotificationsModule, AuditModule], controllers: [RegionsController], providers: [RollupService] })
export class RollupModule {}
