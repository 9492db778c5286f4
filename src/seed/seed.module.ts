import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { DemoSeedService } from './demo-seed.service';

@Module({ imports: [CasesModule], providers: [DemoSeedService], exports: [DemoSeedService] })
export class SeedModule {}
