import { forwardRef, Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { WorkflowModule } from '../workflow/workflow.module';
import { LikelyRepeatsController } from './likely-repeats.controller';
import { RepeatsController } from './repeats.controller';
import { RepeatsService } from './repeats.service';

@Module({ imports: [CasesModule, forwardRef(() => WorkflowModule)], controllers: [RepeatsController, LikelyRepeatsController], providers: [RepeatsService], exports: [RepeatsService] })
export class RepeatsModule {}
