import { Module } from '@nestjs/common';
import { TownshipsModule } from '../townships/townships.module';
import { SpotChecksController } from './spotchecks.controller';
import { SpotChecksService } from './spotchecks.service';

@Module({ imports: [TownshipsModule], controllers: [SpotChecksController], providers: [SpotChecksService], exports: [SpotChecksService] })
export class SpotChecksModule {}
