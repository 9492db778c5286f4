import { Module } from '@nestjs/common';
import { AdminDeadlinesController } from './admin-deadlines.controller';
import { CalendarAdminService } from './calendar-admin.service';
import { DeadlinesService } from './deadlines.service';
import { DeadlineRecomputeService } from './recompute.service';

@Module({ controllers: [AdminDeadlinesController], providers: [DeadlinesService, CalendarAdminService, DeadlineRecomputeService], exports: [DeadlinesService, CalendarAdminService] })
export class DeadlinesModule {}
