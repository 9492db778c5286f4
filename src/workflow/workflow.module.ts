import { forwardRef, Module, OnModuleInit } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { RepeatsModule } from '../repeats/repeats.module';
import { TownshipsModule } from '../townships/townships.module';
import { BulkActionsService } from './bulk-actions.service';
import { CasePageService } from './case-page.service';
import { PrintController } from './print.controller';
import { checkTransitions } from './transitions';
import { WorkflowController } from './workflow.controller';
import { WorkflowService } from './workflow.service';

@Module({
  imports: [CasesModule, DeadlinesModule, NotificationsModule, TownshipsModule, forwardRef(() => RepeatsModule)],
  controllers: [WorkflowController, PrintController],
  providers: [WorkflowService, CasePageService, BulkActionsService],
  exports: [WorkflowService, CasePageService, BulkActionsService],
})
export class WorkflowModule implements OnModuleInit {
  /** A broken lifecycle table stops the start, with the reason. */
  onModuleInit() {
    checkTransitions();
  }
}
