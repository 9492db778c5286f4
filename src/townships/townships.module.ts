import { Module } from '@nestjs/common';
import { AdminTownshipsController } from './admin-townships.controller';
import { TownshipsService } from './townships.service';

@Module({ controllers: [AdminTownshipsController], providers: [TownshipsService], exports: [TownshipsService] })
export class TownshipsModule {}
