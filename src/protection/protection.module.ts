import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { WorkflowModule } from '../workflow/workflow.module';
import { DisclosureService } from './disclosure.service';
import { ProtectionController } from './protection.controller';
import { RelativesController } from './relatives.controller';
import { RelativesService } from './relatives.service';
import { TownshipsModule } from '../townships/townships.module';

@Module({
  imports: [CasesModule, WorkflowModule, TownshipsModule, DeadlinesModule],
  controllers: [ProtectionController, RelativesController],
  providers: [DisclosureService, RelativesService],
  exports: [DisclosureService, RelativesService],
})
export class ProtectionModule {}
