import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { from, Observable, switchMap } from 'rxjs';
import { isApiRequest } from '../auth/auth.guard';
import { badgeText, QueuesService } from './queues.service';

/** The counts beside the navigation, for every page a signed-in user opens. */
@Injectable()
export class NavCountsInterceptor implements NestInterceptor {
  constructor(private readonly queues: QueuesService) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<Request>();
    const res = ctx.switchToHttp().getResponse<Response>();
    if (!req.user || isApiRequest(req)) return next.handle();
    return from(this.queues.navCounts(req.user)).pipe(
      switchMap((counts) => {
        res.locals.nav = Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, badgeText(n)]));
        return next.handle();
      }),
    );
  }
}
