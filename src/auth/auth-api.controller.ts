import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Public } from './auth-user';
import { AuthService } from './auth.service';
import { LoginDto } from './dto/login.dto';

@Controller('api/v1/auth')
export class AuthApiController {
  constructor(private readonly auth: AuthService) {}

  /** POST /api/v1/auth/login → { token, role }. The token expires after the idle period. */
  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() dto: LoginDto, @Req() req: Request) {
    const user = await this.auth.verifyCredentials(dto.username, dto.password, req.ip ?? 'unknown');
    const token = await this.auth.issueApiToken(user);
    return { token, role: user.role, username: user.username, displayName: user.displayName, townshipId: user.townshipId };
  }
}
