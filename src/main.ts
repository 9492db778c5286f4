import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { APP_CONFIG, AppConfig, ConfigError, describeDatabase, loadConfig } from './config/config';

async function bootstrap() {
  try {
    loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false });
  configureApp(app);
  app.enableShutdownHooks();
  const config = app.get<AppConfig>(APP_CONFIG);
  if (config.nodeEnv === 'production' && !config.trustProxy) {
    new Logger('Duban').warn('Session cookies are Secure in production: serve Duban through a TLS proxy with TRUST_PROXY=1, or no one can sign in over plain HTTP');
  }
  await app.listen(config.port);
  new Logger('Duban').log(
    `救助督办 listening on http://localhost:${config.port} (${config.nodeEnv}${config.demo ? ', demo data' : ''}; database ${describeDatabase(config.database)})`,
  );
}

void bootstrap();
