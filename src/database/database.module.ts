import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { ConfigModule } from '../config/config.module';
import { DataSource, DataSourceOptions } from 'typeorm';
import { buildDataSourceOptions } from './data-source';
import { migrateAtStart } from './migrate';
import { DbWriter } from './db-writer.service';

@Global()
@Module({
  imports: [
    // forRootAsync: the options are read when the app starts, not when this file is imported,
    // so a test's DATABASE_PATH is honoured (STACK.md pitfall 4).
    TypeOrmModule.forRootAsync({
      imports: [ConfigModule],
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ ...buildDataSourceOptions(config.database), target: config.database }),
      // Migrations run here, before any other part of the app starts (migrate.ts: in turn across
      // instances, after a backup of a database that holds cases).
      dataSourceFactory: async (options) => {
        const { target, ...rest } = options as typeof options & { target: AppConfig['database'] };
        const ds = await new DataSource(rest as DataSourceOptions).initialize();
        await migrateAtStart(ds, target);
        return ds;
      },
    }),
  ],
  providers: [DbWriter],
  exports: [DbWriter],
})
export class DatabaseModule {}
