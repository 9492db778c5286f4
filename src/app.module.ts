import { Module } from '@nestjs/common';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CasesModule } from './cases/cases.module';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthController } from './health/health.controller';
import { HomeController } from './health/home.controller';
import { SeedModule } from './seed/seed.module';
import { TownshipsModule } from './townships/townships.module';
import { UsersModule } from './users/users.module';

@Module({
  imports: [ConfigModule, DatabaseModule, AuditModule, AuthModule, TownshipsModule, UsersModule, CasesModule, SeedModule],
  controllers: [HealthController, HomeController],
})
export class AppModule {}
