import { ValidationPipe } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { csrfSync } from 'csrf-sync';
import express, { NextFunction, Request, Response } from 'express';
import session from 'express-session';
import * as fs from 'fs';
import helmet from 'helmet';
import multer from 'multer';
import { finished } from 'stream';
import * as path from 'path';
import { DataSource } from 'typeorm';
import { isApiRequest } from './auth/auth.guard';
import { TypeOrmSessionStore } from './auth/session.store';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { Clock } from './common/clock';
import { registerViewHelpers } from './common/view-helpers';
import { validationExceptionFactory } from './common/validation';
import { requestGuard } from './common/request-guard';
import { APP_CONFIG, AppConfig } from './config/config';
import { DbWriter } from './database/db-writer.service';

export const ROOT_DIR = path.resolve(__dirname, '..');
export const SESSION_COOKIE = 'duban.sid';

/**
 * Everything an HTTP app needs besides its modules. main.ts and every e2e test call this, so
 * tests run the same middleware (sessions, CSRF, helmet, views) as production.
 */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  const config = app.get<AppConfig>(APP_CONFIG);
  const dataSource = app.get(DataSource);
  const writer = app.get(DbWriter);
  const clock = app.get(Clock);

  app.disable('x-powered-by');
  if (config.trustProxy) app.set('trust proxy', 1);

  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // No inline scripts or styles: everything comes from /static.
          'script-src': ["'self'"],
          'style-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          'form-action': ["'self'"],
          'upgrade-insecure-requests': config.nodeEnv === 'production' ? [] : null,
        },
      },
      hsts: config.nodeEnv === 'production',
    }),
  );

  app.useStaticAssets(path.join(ROOT_DIR, 'public'), { prefix: '/static/', maxAge: config.nodeEnv === 'production' ? '1d' : 0 });
  app.use('/favicon.ico', (_req: Request, res: Response) => res.status(204).end());
  // Chart.js from the installed package: no CDN is reachable from the bureaus' offices.
  app.useStaticAssets(path.join(ROOT_DIR, 'node_modules', 'chart.js', 'dist'), { prefix: '/static/vendor/chart.js/', maxAge: config.nodeEnv === 'production' ? '7d' : 0 });

  // Everything past the static files is personal data or depends on who asks (pages, API answers,
  // ledgers, printouts): no browser or proxy may keep a copy (OWASP ASVS 4.0.3 V8.2.1). Static
  // assets above keep their caching.
  app.use((_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  // Body parsers before CSRF, which reads the token from the form body; the one upload form too.
  // 2 MB (about 20,000 rows): the workbook is read whole, within the server's 192 MB heap.
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: 2 * 1024 * 1024, files: 1 } }).single('file');
  app.use('/relatives/import', (req: Request, res: Response, next: NextFunction) =>
    upload(req, res, (err?: unknown) => {
      if (err) {
        res.status(413).render('errors/error', { title: '文件过大', status: 413, message: '上传的文件过大（上限2MB，约2万行）或格式不正确，请分批导入' });
        return;
      }
      next();
    }),
  );
  app.use(express.urlencoded({ extended: true, limit: '256kb', parameterLimit: 200 }));
  app.use(express.json({ limit: '256kb' }));
  app.use(requestGuard(isApiRequest));

  app.setBaseViewsDir(path.join(ROOT_DIR, 'views'));
  app.setViewEngine('hbs');
  app.set('view options', { layout: 'layouts/main' });
  registerViewHelpers(path.join(ROOT_DIR, 'views', 'partials'));

  const sessionMiddleware = session({
    name: SESSION_COOKIE,
    secret: config.sessionSecret,
    store: new TypeOrmSessionStore(dataSource, writer, clock, config.idleMinutes * 60_000, config.sessionMaxHours * 3600_000),
    resave: false,
    saveUninitialized: false,
    // A browser-session cookie (no expiry date, OWASP: non-persistent): expiry is the server's,
    // idle and absolute, on the app's clock in the session store; closing the browser ends it too.
    // Secure whenever in production (ASVS 4.0.3 V3.4.1): production runs behind TLS, in practice a
    // proxy that terminates it with TRUST_PROXY=1; over plain HTTP no session cookie is sent.
    cookie: { httpOnly: true, sameSite: 'lax', secure: config.nodeEnv === 'production' },
  });
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => (req.body?._csrf as string) ?? (req.headers['x-csrf-token'] as string),
  });

  // The API authenticates by bearer token only; it has no cookies and so needs no CSRF token.
  app.use((req: Request, res: Response, next: NextFunction) => (isApiRequest(req) ? next() : sessionMiddleware(req, res, next)));
  app.use(endCallbacksKept);
  app.use(sessionSavedBeforeRedirect);
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (isApiRequest(req)) return next();
    // `_next`: the page a form returns to after a new sign-in (the intake form); never passed on to a route
    const back = req.body && typeof req.body === 'object' && typeof req.body._next === 'string' ? (req.body._next as string) : null;
    if (req.body && typeof req.body === 'object' && '_next' in req.body) delete req.body._next;
    csrfSynchronisedProtection(req, res, (err?: unknown) => {
      if (err) {
        // The session ended while the form was open (its token went with it): sign in again and
        // go back to the form, whose draft the browser tab kept (sessionStorage).
        if (back && /^\/(?![/\\])/.test(back) && back.length <= 200 && !req.session?.userId) {
          res.redirect(303, `/login?expired=1&next=${encodeURIComponent(back)}`);
          return;
        }
        res.status(403).render('errors/error', { title: '页面已过期', status: 403, message: '页面已过期或来源不明，请刷新页面后重新提交' });
        return;
      }
      res.locals.csrfToken = generateToken(req);
      res.locals.demo = config.demo;
      // One-time messages are for the page the user sees next: a JSON fetch of that page's
      // side panels (likely repeats, still in flight when a form was sent) or a keep-alive ping
      // must not take them, or the page after the redirect shows no "已登记".
      if (!(req.method === 'GET' && req.accepts(['html', 'json']) === 'html')) return next();
      if (req.session?.flash) {
        res.locals.flash = req.session.flash;
        delete req.session.flash;
      }
      // one-time, like the flash: the code just issued (its print button) and "the intake draft was saved"
      if (req.session?.issuedCode) {
        res.locals.issuedCode = req.session.issuedCode;
        delete req.session.issuedCode;
      }
      if (req.session?.draftSaved) {
        res.locals.draftSaved = true;
        delete req.session.draftSaved;
      }
      if (req.session?.bulkResult) {
        res.locals.bulkResult = req.session.bulkResult;
        delete req.session.bulkResult;
      }
      // Taken out of the session: saved now, before the page goes out. express-session would save
      // at the end, after sending all but the last byte of the page, and a form sent from the page
      // meanwhile (a fast user, or instances answering in parallel) would have its new message
      // overwritten by this older copy of the session.
      if (res.locals.flash || res.locals.issuedCode || res.locals.draftSaved || res.locals.bulkResult) {
        req.session.save((e) => next(e));
        return;
      }
      next();
    });
  });

  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, exceptionFactory: validationExceptionFactory }),
  );
  app.useGlobalFilters(new AllExceptionsFilter());
  return app;
}

export function ensureDir(dir: string) {
  fs.mkdirSync(dir, { recursive: true });
}

/**
 * express-session replaces `res.end` with one that takes `(chunk, encoding)` only: a streamed
 * download that ends with `res.end(callback)` would have its callback written as the last chunk
 * (a TypeError after the headers went out). Node's own forms are kept here: the callback runs
 * once the response has finished (or failed), the data and encoding go on to the session's end.
 */
/**
 * A redirect goes out only once the session is saved. express-session saves at the end of the
 * response but sends the headers first, so a browser following a 303 (after a form: "已登记，案件编号
 * …") could ask for the next page before the message was stored and find none; with
 * instances sharing one PostgreSQL, or a slow commit, it did.
 */
function sessionSavedBeforeRedirect(req: Request, res: Response, next: NextFunction): void {
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
  res.redirect = ((...args: unknown[]) => {
    if (!req.session) return redirect(...args);
    req.session.save((err) => (err ? next(err) : redirect(...args)));
  }) as Response['redirect'];
  next();
}

function endCallbacksKept(_req: Request, res: Response, next: NextFunction): void {
  const end = res.end.bind(res) as (chunk?: unknown, encoding?: BufferEncoding) => Response;
  res.end = ((...args: unknown[]) => {
    const cb = typeof args[args.length - 1] === 'function' ? (args.pop() as (err?: Error | null) => void) : null;
    if (cb) finished(res, (err) => cb(err ?? null));
    return end(args[0], args[1] as BufferEncoding | undefined);
  }) as Response['end'];
  next();
}
