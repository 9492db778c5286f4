import { Module } from '@nestjs/common';
import { TownshipsModule } from '../townships/townships.module';
import { AdminUsersController } from './admin-users.controller';
import { UsersService } from './users.service';

@Module({ imports: [TownshipsModule], controllers: [AdminUsersController], providers: [UsersService], exports: [UsersService] })
export class UsersModule {}
