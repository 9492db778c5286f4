import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth-user';
import { pingDatabase } from './health.repository';

@Controller()
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  /** `{ status: "ok" }` once the database answers. */
  @Public()
  @Get('api/v1/health')
  async health() {
    try {
      await pingDatabase(this.dataSource.manager);
    } catch {
      throw new ServiceUnavailableException({ message: '数据库不可用', status: 'unavailable' });
    }
    return { status: 'ok' };
  }
}
