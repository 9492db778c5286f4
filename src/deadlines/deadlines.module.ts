import { Module } from '@nestjs/common';
import { AdminDeadlinesController } from './admin-deadlines.controller';
import { CalendarAdminService } from './calendar-admin.service';
import { DeadlinesService } from './deadlines.service';

@Module({ controllers: [AdminDeadlinesController], providers: [DeadlinesService, CalendarAdminService], exports: [DeadlinesService, CalendarAdminService] })
export class DeadlinesModule {}
