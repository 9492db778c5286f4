import type { Writable } from 'stream';
import { LedgerService } from '../../src/cases/ledger.service';
import { apiToken, createTestApp, signIn, TestApp } from '../utils/test-app';

/** Issue 9 §5: no browser or proxy keeps a copy of a page, an API answer or an export. */
describe('Cache-Control', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('is no-store on pages, API answers, exports, printouts and errors', async () => {
    const sup = await signIn(t, 'supervisor');
    const op = await apiToken(t, 'operator');
    const [{ caseNo }] = await t.dataSource.query(`SELECT caseNo FROM cases WHERE assignedAt IS NOT NULL ORDER BY id LIMIT 1`);
    const [{ leadNo }] = await t.dataSource.query('SELECT leadNo FROM referrals ORDER BY id LIMIT 1');
    const answers = {
      login: await t.http().get('/login'),
      lookup: await t.http().get('/lookup'),
      caseList: await sup.get('/cases'),
      casePage: await sup.get(`/cases/${caseNo}`),
      print: await sup.get(`/cases/${caseNo}/print/assignment-sheet`),
      ledgerCsv: await sup.get('/cases/export.csv'),
      ledgerXlsx: await sup.get('/cases/export.xlsx').buffer(true),
      relativesXlsx: await sup.get('/relatives/export.xlsx').buffer(true),
      referralPdf: await sup.get(`/referrals/${leadNo}/print.pdf`).buffer(true),
      monthlyXlsx: await sup.get('/reports/monthly.xlsx?month=2026-10').buffer(true),
      apiList: await t.http().get('/api/v1/cases?limit=1').set('Authorization', `Bearer ${op}`),
      apiCase: await t.http().get(`/api/v1/cases/${caseNo}`).set('Authorization', `Bearer ${op}`),
      apiExport: await t.http().get('/api/v1/cases/export?format=csv').set('Authorization', `Bearer ${op}`),
      apiLogin: await t.http().post('/api/v1/auth/login').send({ username: 'operator', password: 'demo1234' }),
      api401: await t.http().get('/api/v1/cases'),
      page404: await sup.get('/cases/JZ2099-000001'),
    };
    for (const [name, res] of Object.entries(answers)) {
      expect({ name, status: res.status < 500, cacheControl: res.headers['cache-control'] }).toEqual({ name, status: true, cacheControl: 'no-store' });
    }
  });

  it('leaves the static assets cacheable', async () => {
    for (const url of ['/static/css/app.css', '/static/js/app.js', '/static/vendor/chart.js/chart.umd.min.js']) {
      const res = await t.http().get(url);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toMatch(/max-age/);
      expect(res.headers['cache-control']).not.toContain('no-store');
    }
  });

  it('cuts a download that fails part-way, neither leaving it open nor ending it as if whole', async () => {
    const sup = await signIn(t, 'supervisor');
    const ledger = t.app.get(LedgerService);
    const csv = jest.spyOn(ledger, 'csv').mockImplementation(async (_user, _filters, out: Writable) => {
      await new Promise((r) => out.write('\uFEFF案件编号\r\nJZ2026-000001\r\n', r));
      throw new Error('the database went away');
    });
    try {
      const started = Date.now();
      const outcome = await sup.get('/cases/export.csv').then(
        (res) => ({ completed: true, status: res.status }),
        (e: Error) => ({ completed: false, error: e.message }),
      );
      expect(outcome).toEqual({ completed: false, error: expect.stringMatching(/aborted|socket hang up|ECONNRESET/) });
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      csv.mockRestore();
    }
  });
});
