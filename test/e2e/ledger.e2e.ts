import ExcelJS from 'exceljs';
import { complaintBody, helpRequestBody } from '../factories/case.factory';
import { act, tokens } from '../utils/workflow';
import { onPostgres } from '../utils/engine';
import { formatDateTime } from '../../src/common/time';
import { createTestApp, signIn, TestApp } from '../utils/test-app';

const binary = (res: { on: (e: string, f: (x?: Buffer) => void) => void }, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c) => chunks.push(c!));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** A small CSV reader (RFC 4180), independent of the writer used by the app. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

describe('the ledger (台账) exports', () => {
  let t: TestApp;
  let tk: Awaited<ReturnType<typeof tokens>>;
  let reportNo: string;
  beforeAll(async () => {
    t = await createTestApp();
    tk = await tokens(t);
    const r = await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${tk.operator}`).send(complaintBody({ reporterType: 'realName', reporterName: '台账举报人', reporterPhone: '13912340987', townshipId: 1, content: '举报村干部优亲厚友，台账导出测试，含逗号,和"引号"。' }));
    reportNo = r.body.caseNo;
    await act(t, tk.operator, reportNo, 'accept');
    await act(t, tk.operator, reportNo, 'assign', { townshipId: 1 });
    await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${tk.operator}`).send(helpRequestBody({ townshipId: 2, villageId: null }));
  });
  afterAll(() => t.close());

  it('exports the filtered list as .xlsx with Chinese headers, one row per case, phones masked', async () => {
    const agent = await signIn(t, 'supervisor');
    const res = await agent.get('/cases/export.xlsx?kind=complaint').buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('台账'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as never);
    const ws = wb.getWorksheet('台账')!;
    expect(ws.getRow(1).getCell(1).value).toBe('案件编号');
    expect(ws.getRow(1).getCell(15).value).toBe('诉求内容');
    const [{ n }] = await t.dataSource.query(`SELECT COUNT(*) AS n FROM cases WHERE kind = 'complaint'`);
    expect(ws.actualRowCount - 1).toBe(n);
    const row = ws.getRows(2, ws.actualRowCount - 1)!.find((r) => r.getCell(1).value === reportNo)!;
    expect(row.getCell(8).value).toBe('台账举报人');
    expect(row.getCell(9).value).toBe('139****0987');
    expect(row.getCell(13).value).toBe('城关镇');
    expect(row.getCell(16).value).toBe('已交办');
    expect(row.getCell(19).value).toBe('在办'); // assigned, within its time
    // not yet verified, called back or closed: those cells are empty, not empty strings
    for (const col of [20, 21, 22, 23]) expect(row.getCell(col).value).toBeNull();
    expect(row.getCell(18).value).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('exports CSV in UTF-8 with a BOM that a separate reader parses back intact', async () => {
    const agent = await signIn(t, 'operator');
    const res = await agent.get(`/cases/export.csv?q=${encodeURIComponent('台账导出测试')}`).buffer(true).parse(binary);
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(body.subarray(3).toString('utf8'));
    expect(rows[0][0]).toBe('案件编号');
    expect(rows).toHaveLength(2);
    expect(rows[1][0]).toBe(reportNo);
    expect(rows[1][14]).toBe('举报村干部优亲厚友，台账导出测试，含逗号,和"引号"。');
    // 接收时间 and 交办时间 in Shanghai time, to the minute, as the case page shows them
    const [c] = await t.dataSource.query(`SELECT receivedAt, assignedAt FROM cases WHERE caseNo = ?`, [reportNo]);
    expect(rows[1][1]).toBe(formatDateTime(c.receivedAt));
    expect(rows[1][16]).toBe(formatDateTime(c.assignedAt));
    expect(rows[1][16]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
  });

  it('masks by role: the township export never names the complainant', async () => {
    const agent = await signIn(t, 'township1');
    const res = await agent.get('/cases/export.csv').buffer(true).parse(binary);
    const rows = parseCsv((res.body as Buffer).subarray(3).toString('utf8'));
    const mine = rows.find((r) => r[0] === reportNo)!;
    expect(mine[7]).toBe('实名举报人（已保密）');
    expect(mine[8]).toBe('');
    expect(rows.slice(1).every((r) => r[12] === '城关镇')).toBe(true);
    expect((res.body as Buffer).toString('utf8')).not.toContain('台账举报人');
  });

  it('writes a case in two referred leads as one CSV field, its lead numbers joined by 、', async () => {
    const [{ id: liaisonId }] = await t.dataSource.query(`SELECT id FROM users WHERE username = 'liaison'`);
    const lead = async () => {
      const res = await t.http().post(`/api/v1/cases/${reportNo}/referral`).set('Authorization', `Bearer ${tk.supervisor}`).send({ source: '12349热线实名举报', mainProblem: '村干部优亲厚友，台账测试', handlerId: liaisonId });
      expect(res.status).toBe(201);
      return res.body.leadNo as string;
    };
    const leads = [await lead(), await lead()];
    const res = await (await signIn(t, 'supervisor')).get(`/cases/export.csv?q=${encodeURIComponent('台账导出测试')}`).buffer(true).parse(binary);
    const rows = parseCsv((res.body as Buffer).subarray(3).toString('utf8'));
    expect(rows.every((r) => r.length === 26)).toBe(true);
    expect(rows[1][0]).toBe(reportNo);
    expect(rows[1][24].split('、').sort()).toEqual(leads.sort());
  });

  it('exports every matching case exactly once when the ledger runs to many batches, for county and township staff', async () => {
    // 1,400 more cases assigned to 城关镇, copied from an existing one: more than two of the
    // export's batches of 500 (township staff see the cases assigned to their township)
    const [{ id: sourceId }] = await t.dataSource.query(`SELECT id FROM cases WHERE townshipId = 1 AND assignedAt IS NOT NULL ORDER BY id LIMIT 1`);
    const copied = `name NOT IN ('id', 'caseNo', 'queryCodeHash')`;
    const cols = (
      await t.dataSource.query(
        onPostgres
          ? `SELECT name FROM (SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'cases') x WHERE ${copied}`
          : `SELECT name FROM pragma_table_info('cases') WHERE ${copied}`,
      )
    ).map((c: { name: string }) => `"${c.name}"`);
    const serial = onPostgres ? `lpad(CAST(n.i AS text), 6, '0')` : `printf('%06d', n.i)`;
    await t.dataSource.query(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1400)
       INSERT INTO cases (caseNo, ${cols.join(', ')}) SELECT 'PL2026-' || ${serial}, ${cols.map((c: string) => `c.${c}`).join(', ')} FROM n, cases c WHERE c.id = ?`,
      [sourceId],
    );
    for (const [user, where] of [['supervisor', '1 = 1'], ['township1', 'townshipId = 1 AND assignedAt IS NOT NULL']] as const) {
      const res = await (await signIn(t, user)).get('/cases/export.csv').buffer(true).parse(binary);
      const rows = parseCsv((res.body as Buffer).subarray(3).toString('utf8')).slice(1);
      const expected: { caseNo: string }[] = await t.dataSource.query(`SELECT caseNo FROM cases WHERE ${where} ORDER BY id`);
      expect(expected.length).toBeGreaterThan(1400);
      expect(rows.map((r) => r[0])).toEqual(expected.map((e) => e.caseNo));
      expect(rows.every((r) => r.length === 26)).toBe(true);
    }
  });

  it('serves the ledger through the API too, and refuses a bad format', async () => {
    const res = await t.http().get('/api/v1/cases/export?format=csv&kind=complaint').set('Authorization', `Bearer ${tk.supervisor}`).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect((res.body as Buffer).toString('utf8')).toContain(reportNo);
    const bad = await t.http().get('/api/v1/cases/export?format=pdf').set('Authorization', `Bearer ${tk.supervisor}`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toEqual({ field: 'format', message: '格式应为 csv 或 xlsx' });
  });
});
