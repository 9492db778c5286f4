import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { AuthService } from '../auth/auth.service';
import { APP_CONFIG, AppConfig } from '../config/config';

/** Hourly: expired sessions (also the anonymous ones the login page makes), tokens and stale throttle rows. */
@Injectable()
export class HousekeepingService {
  private readonly logger = new Logger('Housekeeping');

  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Cron('0 17 * * * *', { name: 'housekeeping', timeZone: 'Asia/Shanghai' })
  async hourly(): Promise<void> {
    if (!this.config.jobs) return;
    try {
      await this.auth.pruneExpired();
    } catch (e) {
      this.logger.error(`housekeeping failed: ${(e as Error).message}`);
    }
  }
}
