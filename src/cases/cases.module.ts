import { Module } from '@nestjs/common';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { TownshipsModule } from '../townships/townships.module';
import { CaseIntakeService } from './case-intake.service';
import { CaseQueryService } from './case-query.service';
import { LedgerService } from './ledger.service';
import { CasesApiController } from './cases-api.controller';
import { CasesController } from './cases.controller';

@Module({
  imports: [TownshipsModule, DeadlinesModule],
  controllers: [CasesController, CasesApiController],
  providers: [CaseIntakeService, CaseQueryService, LedgerService],
  exports: [CaseIntakeService, CaseQueryService],
})
export class CasesModule {}
