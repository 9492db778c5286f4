import { LedgerService } from '../../src/cases/ledger.service';
import { tokens } from '../utils/workflow';
import { createTestApp, signIn, TestApp } from '../utils/test-app';

describe('ledger exports when every place is taken', () => {
  let t: TestApp;
  let tk: Awaited<ReturnType<typeof tokens>>;
  beforeAll(async () => {
    // one export at a time in this process, and no waiting in line
    t = await createTestApp({ env: { EXPORTS_AT_ONCE: '1', EXPORT_WAIT_SECONDS: '0' } });
    tk = await tokens(t);
  });
  afterAll(async () => {
    await t.close();
    delete process.env.EXPORTS_AT_ONCE;
    delete process.env.EXPORT_WAIT_SECONDS;
  });

  it('answers 503 in Chinese with Retry-After, as JSON or a page, never as a file, and exports again once the place is free', async () => {
    const slots = t.app.get(LedgerService).slots;
    const release = (await slots.take())!;
    try {
      const api = await t.http().get('/api/v1/cases/export?format=csv').set('Authorization', `Bearer ${tk.supervisor}`);
      expect(api.status).toBe(503);
      expect(api.body.message).toBe('正在生成的台账导出较多（1 个），请稍后再试');
      expect(api.headers['retry-after']).toBe('30');
      expect(api.headers['content-disposition']).toBeUndefined();
      const page = await (await signIn(t, 'supervisor')).get('/cases/export.xlsx');
      expect(page.status).toBe(503);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.headers['content-disposition']).toBeUndefined();
      expect(page.text).toContain('正在生成的台账导出较多（1 个），请稍后再试');
    } finally {
      release();
    }
    const again = await t.http().get('/api/v1/cases/export?format=csv').set('Authorization', `Bearer ${tk.supervisor}`);
    expect(again.status).toBe(200);
    expect(again.headers['content-disposition']).toContain('attachment');
    expect(again.text.split('\r\n').length).toBeGreaterThan(200);
    // the finished export gave its place back
    expect(slots.taken).toBe(0);
  });
});
