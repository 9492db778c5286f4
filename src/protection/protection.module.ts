import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { WorkflowModule } from '../workflow/workflow.module';
import { DisclosureService } from './disclosure.service';
import { ProtectionController } from './protection.controller';

@Module({ imports: [CasesModule, WorkflowModule], controllers: [ProtectionController], providers: [DisclosureService], exports: [DisclosureService] })
export class ProtectionModule {}
