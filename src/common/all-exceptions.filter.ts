import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { randomBytes } from 'crypto';
import type { Request, Response } from 'express';
import { isApiRequest, SignInRequiredException } from '../auth/auth.guard';

const PAGE_MESSAGES: Record<number, string> = {
  400: '提交的内容有误',
  401: '请先登录',
  403: '您没有权限执行此操作',
  404: '未找到该页面或记录',
  409: '当前状态下不能执行此操作',
  413: '提交的内容过大',
  429: '操作过于频繁，请稍后再试',
  503: '系统繁忙，请稍后再试',
};

function messageOf(body: unknown, status: number): string {
  if (body && typeof body === 'object' && 'message' in body) {
    const m = (body as { message: unknown }).message;
    if (typeof m === 'string' && /[\u4e00-\u9fff]/.test(m)) return m;
  }
  return PAGE_MESSAGES[status] ?? '请求无法处理';
}

function isClientError(e: unknown): e is { status: number; expose: boolean } {
  const s = (e as { status?: unknown })?.status;
  return typeof s === 'number' && s >= 400 && s < 500 && (e as { expose?: boolean }).expose === true;
}

/** An unexpected error's class and message (the driver's, not TypeORM's with the parameters). */
function describe(exception: unknown): string {
  const err = exception as Error;
  const driverMessage = (err as { driverError?: Error })?.driverError?.message;
  return `${err?.name ?? 'Error'}: ${driverMessage ?? err?.message ?? String(err)}`;
}

/**
 * Every error ends here. API callers get JSON; people get a plain Chinese page. Unexpected
 * errors get an incident id that is logged with the error's class and message only: SQL errors
 * carry their parameters, which hold personal data, so those are never logged.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    if (res.headersSent) {
      // A download that failed part-way (a streamed ledger): no page can follow its headers, and
      // ending it normally would hand over a cut-off file as if whole. The connection is cut, so
      // the browser reports a failed download, instead of being left waiting for the rest.
      const incidentId = randomBytes(4).toString('hex').toUpperCase();
      this.logger.error(`incident ${incidentId} (after the response began): ${describe(exception)}`);
      if (!res.writableEnded) res.destroy();
      return;
    }

    if (exception instanceof SignInRequiredException) {
      const next = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
      res.redirect(303, `/login${next}`);
      return;
    }

    let status = HttpStatus.INTERNAL_SERVER_ERROR;
    let body: Record<string, unknown>;
    if (exception instanceof HttpException) {
      status = exception.getStatus();
      const r = exception.getResponse();
      body = typeof r === 'object' && r !== null ? { ...(r as object) } : { message: String(r) };
      body.message = messageOf(body, status);
      // a 400 from outside our validation (malformed JSON, a bad path parameter) still lists a field
      if (status === 400 && !Array.isArray(body.errors)) body.errors = [{ field: 'body', message: '请求内容格式不正确' }];
      delete body.statusCode;
      // Nest's own "error": "Conflict" goes; our machine-readable codes (transition_not_allowed) stay.
      if (typeof body.error === 'string' && /^[A-Z]/.test(body.error)) delete body.error;
    } else if (isClientError(exception)) {
      // body-parser: malformed JSON (400), body too large (413), wrong charset (415)
      status = exception.status;
      body = {
        message: PAGE_MESSAGES[status] ?? '请求无法处理',
        errors: [{ field: 'body', message: status === 413 ? '提交的内容过大（上限256KB）' : '请求内容格式不正确（应为 JSON 或表单）' }],
      };
    } else {
      const incidentId = randomBytes(4).toString('hex').toUpperCase();
      this.logger.error(`incident ${incidentId}: ${describe(exception)}`);
      body = { message: `服务器内部错误，请联系管理员（事件编号 ${incidentId}）`, incidentId };
    }

    const retryAfter = (exception as { retryAfter?: number }).retryAfter;
    if ((status === 429 || status === 503) && retryAfter) res.setHeader('Retry-After', String(retryAfter));
    // the API, and the page scripts that fetch JSON (the panels beside the intake form)
    if (isApiRequest(req) || req.accepts(['html', 'json']) === 'json') {
      res.status(status).json(body);
      return;
    }
    // a page has no fields to put a refused query value or download filter next to: name them
    const fields = status === 400 && Array.isArray(body.errors) ? (body.errors as { field: string; message: string }[]).filter((e) => e.field !== 'body') : [];
    res.status(status).render('errors/error', {
      title: status === 404 ? '未找到' : '出错了',
      status,
      message: fields.length ? `${body.message}：${fields.map((e) => e.message).join('；')}` : body.message,
      incidentId: body.incidentId,
    });
  }
}
