import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { AuthUser, CurrentUser, Public, OpenAboveCounty } from './auth-user';
import { bearerToken } from './auth.guard';
import { AuthService } from './auth.service';
import { LoginDto } from './dto/login.dto';

@Controller('api/v1/auth')
export class AuthApiController {
  constructor(private readonly auth: AuthService) {}

  /**
   * POST /api/v1/auth/login → { token, role }. The token expires after the idle period, and at
   * the latest API_TOKEN_MAX_HOURS after it was issued.
   */
  @Public()
  @Post('login')
  @HttpCode(200)
  async login(@Body() dto: LoginDto, @Req() req: Request) {
    const user = await this.auth.verifyCredentials(dto.username, dto.password, req.ip ?? 'unknown');
    const token = await this.auth.issueApiToken(user);
    return { token, role: user.role, username: user.username, displayName: user.displayName, townshipId: user.townshipId };
  }

  /** POST /api/v1/auth/logout with the bearer token → 204; the token is refused from then on. */
  @Post('logout')
  @OpenAboveCounty()
  @HttpCode(204)
  async logout(@CurrentUser() user: AuthUser, @Req() req: Request): Promise<void> {
    await this.auth.revokeApiToken(bearerToken(req)!, user);
  }
}
