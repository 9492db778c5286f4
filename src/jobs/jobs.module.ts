import { Module } from '@nestjs/common';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { DeadlineScanService } from './deadline-scan.service';

@Module({ imports: [DeadlinesModule, NotificationsModule], providers: [DeadlineScanService], exports: [DeadlineScanService] })
export class JobsModule {}
