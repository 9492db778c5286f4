import { Module } from '@nestjs/common';
import { AdminDeadlinesController, DeadlineRulesApiController } from './admin-deadlines.controller';
import { CalendarAdminService } from './calendar-admin.service';
import { DeadlinesService } from './deadlines.service';
import { DeadlineRecomputeService } from './recompute.service';

@Module({ controllers: [AdminDeadlinesController, DeadlineRulesApiController], providers: [DeadlinesService, CalendarAdminService, DeadlineRecomputeService], exports: [DeadlinesService, CalendarAdminService] })
export class DeadlinesModule {}
