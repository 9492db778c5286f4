import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth-user';

@Controller()
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  /** `{ status: "ok" }` once the database answers. */
  @Public()
  @Get('api/v1/health')
  async health() {
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      throw new ServiceUnavailableException({ message: '数据库不可用', status: 'unavailable' });
    }
    return { status: 'ok' };
  }
}
