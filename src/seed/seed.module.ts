import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { ProtectionModule } from '../protection/protection.module';
import { ReferralsModule } from '../referrals/referrals.module';
import { RepeatsModule } from '../repeats/repeats.module';
import { SpotChecksModule } from '../spotchecks/spotchecks.module';
import { WorkflowModule } from '../workflow/workflow.module';
import { DemoSeedService } from './demo-seed.service';

@Module({ imports: [CasesModule, DeadlinesModule, ReferralsModule, ProtectionModule, SpotChecksModule, RepeatsModule, WorkflowModule], providers: [DemoSeedService], exports: [DemoSeedService] })
export class SeedModule {}
