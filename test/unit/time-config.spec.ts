import { loadConfig } from '../../src/config/config';
import { formatDateTime, parseShanghaiDateTime, shanghaiYear } from '../../src/common/time';

describe('Asia/Shanghai time', () => {
  it('reads a local time as UTC+8', () => {
    expect(parseShanghaiDateTime('2026-01-01T07:30')!.toISOString()).toBe('2025-12-31T23:30:00.000Z');
  });

  it('shows an instant in Shanghai time whatever the server zone', () => {
    expect(formatDateTime(new Date('2025-12-31T23:30:00Z'))).toBe('2026-01-01 07:30');
  });

  it('puts a case registered on New Year morning in the new year', () => {
    expect(shanghaiYear(new Date('2025-12-31T16:30:00Z'))).toBe(2026);
  });

  it('refuses impossible dates', () => {
    expect(parseShanghaiDateTime('2026-02-30')).toBeNull();
    expect(parseShanghaiDateTime('next tuesday')).toBeNull();
  });
});

describe('configuration', () => {
  it('defaults to port 3000 and a file under data/', () => {
    const c = loadConfig({ NODE_ENV: 'development' });
    expect(c.port).toBe(3000);
    expect(c.database.engine === 'sqlite' && c.database.path).toMatch(/data[\\/]duban\.sqlite$/);
    expect(c.demo).toBe(true);
  });

  it('never seeds demo data in production', () => {
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), DEMO_DATA: '1' }).demo).toBe(false);
  });

  it('stops with a message naming each bad variable', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', PORT: 'abc' })).toThrow(/PORT[\s\S]*SESSION_SECRET/);
  });
});

describe('session and token lifetimes', () => {
  it('defaults to 12 hours for sessions and API tokens', () => {
    const c = loadConfig({ NODE_ENV: 'development' });
    expect([c.sessionMaxHours, c.tokenMaxHours]).toEqual([12, 12]);
  });

  it('reads SESSION_MAX_HOURS and API_TOKEN_MAX_HOURS, and refuses nonsense', () => {
    const c = loadConfig({ NODE_ENV: 'development', SESSION_MAX_HOURS: '8', API_TOKEN_MAX_HOURS: '168' });
    expect([c.sessionMaxHours, c.tokenMaxHours]).toEqual([8, 168]);
    expect(() => loadConfig({ NODE_ENV: 'development', SESSION_MAX_HOURS: '0' })).toThrow(/SESSION_MAX_HOURS/);
    expect(() => loadConfig({ NODE_ENV: 'development', API_TOKEN_MAX_HOURS: 'week' })).toThrow(/API_TOKEN_MAX_HOURS/);
  });

  it('runs two ledger exports at once by default, the next waiting 20 s, and reads EXPORTS_AT_ONCE and EXPORT_WAIT_SECONDS', () => {
    expect(loadConfig({ NODE_ENV: 'development' })).toMatchObject({ exportsAtOnce: 2, exportWaitSeconds: 20 });
    expect(loadConfig({ NODE_ENV: 'development', EXPORTS_AT_ONCE: '4', EXPORT_WAIT_SECONDS: '0' })).toMatchObject({ exportsAtOnce: 4, exportWaitSeconds: 0 });
    expect(() => loadConfig({ NODE_ENV: 'development', EXPORTS_AT_ONCE: '0' })).toThrow(/EXPORTS_AT_ONCE must be a whole number from 1 to 16/);
    expect(() => loadConfig({ NODE_ENV: 'development', EXPORT_WAIT_SECONDS: '1.5' })).toThrow(/EXPORT_WAIT_SECONDS/);
  });
});
