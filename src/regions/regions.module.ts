import { Global, Module } from '@nestjs/common';
import { RegionsService } from './regions.service';

/** Global: the sign-in guard and every county-scoped service need it. */
@Global()
@Module({ providers: [RegionsService], exports: [RegionsService] })
export class RegionsModule {}
