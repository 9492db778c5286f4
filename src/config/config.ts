import * as path from 'path';
import { DatabaseTarget, engineFrom } from '../database/engine';

export type NodeEnv = 'development' | 'production' | 'test';

export interface AppConfig {
  nodeEnv: NodeEnv;
  port: number;
  /** SQLite file (DATABASE_PATH, the default) or PostgreSQL server (DATABASE_URL=postgres://…). */
  database: DatabaseTarget;
  /** Demo mode: seeds the fictional county and shows demo accounts on the login page. */
  demo: boolean;
  sessionSecret: string;
  /** Minutes of inactivity after which a session or API token expires. */
  idleMinutes: number;
  /** Hours after sign-in after which a session ends, however active (absolute lifetime). */
  sessionMaxHours: number;
  /** Hours after issue after which an API token ends, however active. */
  tokenMaxHours: number;
  trustProxy: boolean;
  /** Run the scheduled jobs (deadline scan) in this process; off in tests and with JOBS=0. */
  jobs: boolean;
  /**
   * The bureau of the county this installation starts with (BUREAU_NAME, e.g. 清源县民政局): the
   * issuing authority on that county's printed documents, until an administrator changes it.
   */
  bureauName: string;
  /**
   * The county a new database starts with (COUNTY_CODE, six digits of GB/T 2260, and
   * COUNTY_NAME), created at start-up when the database has no such county; further counties and
   * the prefecture and province above them are added with `npm run region`. Null: none configured
   * (a database that already has its counties needs none).
   */
  county: { code: string; name: string } | null;
  /** Outside production: the instant the app's clock starts at (tests, demos of a fixed day). */
  clockStart: Date | null;
  /**
   * The address the public reaches this server at (PUBLIC_BASE_URL, e.g. https://jiuzhu.example.gov.cn),
   * printed with the status page's path on the 受理告知书. Unset: the address the printing browser
   * used, which is right when the public and the staff reach the same server.
   */
  publicBaseUrl: string | null;
  /**
   * Ledger exports this process runs at once (EXPORTS_AT_ONCE, default 2), each in a worker thread
   * with its own heap (and on PostgreSQL its own connection); one more waits up to
   * EXPORT_WAIT_SECONDS (default 20) for a place, then is told to try again (503).
   */
  exportsAtOnce: number;
  exportWaitSeconds: number;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigError extends Error {}

const DEV_SECRET = 'duban-development-secret-not-for-production-use';

/**
 * Reads and validates the environment once at start-up. A wrong value stops the process
 * with a message naming the variable, instead of failing later in a request.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const nodeEnv = (env.NODE_ENV || 'development') as NodeEnv;
  if (!['development', 'production', 'test'].includes(nodeEnv)) {
    problems.push(`NODE_ENV must be development, production or test (got "${env.NODE_ENV}")`);
  }
  const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    problems.push(`PORT must be a whole number from 0 to 65535 (got "${env.PORT}")`);
  }
  let database: DatabaseTarget = { engine: 'sqlite', path: databasePathFrom(env) };
  if (env.DATABASE_URL) {
    if (engineFrom(env) !== 'postgres') problems.push(`DATABASE_URL must be a PostgreSQL address, postgres://user:password@host:5432/database (got "${redactUrl(env.DATABASE_URL)}")`);
    else if (env.DATABASE_PATH) problems.push('DATABASE_URL and DATABASE_PATH are both set: choose PostgreSQL (DATABASE_URL) or a SQLite file (DATABASE_PATH)');
    else database = { engine: 'postgres', url: env.DATABASE_URL };
  }
  let sessionSecret = env.SESSION_SECRET || '';
  if (nodeEnv === 'production') {
    if (sessionSecret.length < 32) problems.push('SESSION_SECRET must be set to at least 32 characters in production');
  } else if (!sessionSecret) {
    sessionSecret = DEV_SECRET;
  }
  const idleMinutes = env.SESSION_IDLE_MINUTES ? Number(env.SESSION_IDLE_MINUTES) : 30;
  if (!Number.isFinite(idleMinutes) || idleMinutes <= 0) {
    problems.push(`SESSION_IDLE_MINUTES must be a positive number (got "${env.SESSION_IDLE_MINUTES}")`);
  }
  const hours = (name: string, fallback: number) => {
    const raw = env[name];
    const v = raw === undefined || raw === '' ? fallback : Number(raw);
    if (!Number.isFinite(v) || v <= 0 || v > 24 * 31) problems.push(`${name} must be a number of hours above 0 and at most 744 (got "${raw}")`);
    return v;
  };
  // OWASP ASVS 4.0.3 V3.3.2: an absolute lifetime on top of the idle one. 12 hours is a working
  // day with overtime: staff sign in each morning; a script signs in again (cheap) each run.
  const sessionMaxHours = hours('SESSION_MAX_HOURS', 12);
  const tokenMaxHours = hours('API_TOKEN_MAX_HOURS', 12);
  const whole = (name: string, fallback: number, min: number, max: number) => {
    const raw = env[name];
    const v = raw === undefined || raw === '' ? fallback : Number(raw);
    if (!Number.isInteger(v) || v < min || v > max) problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
    return v;
  };
  const exportsAtOnce = whole('EXPORTS_AT_ONCE', 2, 1, 16);
  const exportWaitSeconds = whole('EXPORT_WAIT_SECONDS', 20, 0, 600);
  const demoFlag = env.DEMO_DATA;
  if (demoFlag !== undefined && !['0', '1', 'true', 'false', ''].includes(demoFlag)) {
    problems.push(`DEMO_DATA must be 1 or 0 (got "${demoFlag}")`);
  }
  let clockStart: Date | null = null;
  if (env.CLOCK_START) {
    clockStart = parseInstant(env.CLOCK_START);
    if (!clockStart) problems.push(`CLOCK_START must be an ISO 8601 instant with its offset, e.g. 2026-11-20T10:00:00+08:00 (got "${env.CLOCK_START}")`);
    else if (nodeEnv === 'production') problems.push('CLOCK_START is for tests and demos only and cannot be set in production');
  }
  let publicBaseUrl: string | null = null;
  if (env.PUBLIC_BASE_URL) {
    publicBaseUrl = env.PUBLIC_BASE_URL.replace(/\/+$/, '');
    let ok = false;
    try {
      const u = new URL(publicBaseUrl);
      ok = (u.protocol === 'https:' || u.protocol === 'http:') && !u.search && !u.hash && !u.username && !u.password;
    } catch {
      ok = false;
    }
    if (!ok) problems.push(`PUBLIC_BASE_URL must be an http(s) address without query, e.g. https://jiuzhu.example.gov.cn (got "${env.PUBLIC_BASE_URL}")`);
  }
  const countyCode = env.COUNTY_CODE?.trim() || '';
  if (countyCode && (!/^[1-9]\d{5}$/.test(countyCode) || countyCode.endsWith('00'))) {
    problems.push(`COUNTY_CODE must be a county's six-digit division code (GB/T 2260), e.g. 141099 (got "${env.COUNTY_CODE}")`);
  }
  if (problems.length) {
    throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  // Demo data only ever outside production, and it can be switched off (tests, benches).
  const demo = nodeEnv !== 'production' && !(demoFlag === '0' || demoFlag === 'false');
  return {
    nodeEnv,
    port,
    database,
    demo,
    sessionSecret,
    idleMinutes,
    sessionMaxHours,
    tokenMaxHours,
    trustProxy: env.TRUST_PROXY === '1',
    jobs: env.JOBS ? env.JOBS !== '0' : nodeEnv !== 'test',
    bureauName: env.BUREAU_NAME || (demo ? '清源县民政局' : '县民政局'),
    county: countyCode
      ? { code: countyCode, name: env.COUNTY_NAME?.trim() || countyNameOf(env.BUREAU_NAME) || countyCode }
      : demo
        ? { code: '141099', name: env.COUNTY_NAME?.trim() || '清源县' }
        : null,
    clockStart,
    publicBaseUrl,
    exportsAtOnce,
    exportWaitSeconds,
  };
}

/** 清源县民政局 → 清源县 */
function countyNameOf(bureau: string | undefined): string {
  const b = bureau?.trim() || '';
  return b.endsWith('民政局') ? b.slice(0, -3) : '';
}

function parseInstant(v: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v)) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** For command-line tools: the configuration, or the process ends with the message naming what is wrong. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
}

/** The address without its password, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/** Where the database is, for the start-up line: the file, or the server without its password. */
export function describeDatabase(target: DatabaseTarget): string {
  return target.engine === 'sqlite' ? target.path : `PostgreSQL ${redactUrl(target.url)}`;
}

/** DATABASE_PATH, or data/duban.sqlite under the working directory (also for the CLI tools). */
export function databasePathFrom(env: NodeJS.ProcessEnv): string {
  return path.resolve(env.DATABASE_PATH || path.join(process.cwd(), 'data', 'duban.sqlite'));
}
