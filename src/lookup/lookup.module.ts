import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { LookupController } from './lookup.controller';
import { LookupService } from './lookup.service';
import { QueryCodeController } from './query-code.controller';
import { QueryCodeService } from './query-code.service';

@Module({ imports: [CasesModule], controllers: [LookupController, QueryCodeController], providers: [LookupService, QueryCodeService], exports: [QueryCodeService] })
export class LookupModule {}
