import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { ConfigModule } from '../config/config.module';
import { buildDataSourceOptions } from './data-source';
import { DbWriter } from './db-writer.service';

@Global()
@Module({
  imports: [
    // forRootAsync: the options are read when the app starts, not when this file is imported,
    // so a test's DATABASE_PATH is honoured (STACK.md pitfall 4).
    TypeOrmModule.forRootAsync({
      imports: [ConfigModule],
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        ...buildDataSourceOptions(config.database),
        migrationsRun: true,
      }),
    }),
  ],
  providers: [DbWriter],
  exports: [DbWriter],
})
export class DatabaseModule {}
