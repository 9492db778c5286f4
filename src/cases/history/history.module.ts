import { Global, Module } from '@nestjs/common';
import { CaseHistoryWriter } from './case-history.writer';

/** Global: every feature that records something on a case writes through CaseHistoryWriter. */
@Global()
@Module({
  providers: [CaseHistoryWriter],
  exports: [CaseHistoryWriter],
})
export class HistoryModule {}
