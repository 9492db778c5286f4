import { Global, Module } from '@nestjs/common';
import { Clock, clockFrom } from '../common/clock';
import { APP_CONFIG, AppConfig, loadConfig } from './config';

@Global()
@Module({
  providers: [
    { provide: APP_CONFIG, useFactory: () => loadConfig() },
    { provide: Clock, useFactory: (config: AppConfig) => clockFrom(config.clockStart), inject: [APP_CONFIG] },
  ],
  exports: [APP_CONFIG, Clock],
})
export class ConfigModule {}
