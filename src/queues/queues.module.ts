import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { TownshipsModule } from '../townships/townships.module';
import { WorkflowModule } from '../workflow/workflow.module';
import { NavCountsInterceptor } from './nav-counts.interceptor';
import { QueuesController } from './queues.controller';
import { QueuesService } from './queues.service';

@Module({
  imports: [DeadlinesModule, NotificationsModule, TownshipsModule, WorkflowModule],
  controllers: [QueuesController],
  providers: [QueuesService, { provide: APP_INTERCEPTOR, useClass: NavCountsInterceptor }],
})
export class QueuesModule {}
