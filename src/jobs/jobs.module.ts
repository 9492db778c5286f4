import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { DeadlineScanService } from './deadline-scan.service';
import { HousekeepingService } from './housekeeping.service';

@Module({ imports: [AuthModule, DeadlinesModule, NotificationsModule], providers: [DeadlineScanService, HousekeepingService], exports: [DeadlineScanService] })
export class JobsModule {}
