import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { DeadlinesModule } from '../deadlines/deadlines.module';
import { DemoSeedService } from './demo-seed.service';

@Module({ imports: [CasesModule, DeadlinesModule], providers: [DemoSeedService], exports: [DemoSeedService] })
export class SeedModule {}
