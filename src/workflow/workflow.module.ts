import { forwardRef, Module, OnModuleInit } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { LookupModule } from '../lookup/lookup.module';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { RepeatsModule } from '../repeats/repeats.module';
import { TownshipsModule } from '../townships/townships.module';
import { BulkActionsService } from './bulk-actions.service';
import { CasePageService } from './case-page.service';
import { ChaseController } from './chase.controller';
import { ChaseService } from './chase.service';
import { IntakeController } from './intake.controller';
import { IntakeStepsService } from './intake-steps.service';
import { PrintController } from './print.controller';
import { checkTransitions } from './transitions';
import { WorkflowController } from './workflow.controller';
import { WorkflowService } from './workflow.service';

@Module({
  imports: [CasesModule, LookupModule, DeadlinesModule, NotificationsModule, TownshipsModule, forwardRef(() => RepeatsModule)],
  // IntakeController first: /cases/new before /cases/:caseNo
  controllers: [IntakeController, WorkflowController, PrintController, ChaseController],
  providers: [WorkflowService, CasePageService, IntakeStepsService, ChaseService, BulkActionsService],
  exports: [WorkflowService, CasePageService, BulkActionsService],
})
export class WorkflowModule implements OnModuleInit {
  /** A broken lifecycle table stops the start, with the reason. */
  onModuleInit() {
    checkTransitions();
  }
}
