import { deflatePart, whitespaceWorkbook, zip } from '../utils/zip';
import { createTestApp, csrfOf, signIn, TestApp } from '../utils/test-app';

/** Issue 9 §5: uploaded workbooks are measured before exceljs reads them (STACK.md pitfall 11). */
describe('the register import refuses files that are not normal workbooks', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  async function upload(file: Buffer, name = '备案.xlsx') {
    const sup = await signIn(t, 'supervisor');
    const res = await sup.post('/relatives/import').field('_csrf', await csrfOf(sup, '/relatives')).attach('file', file, name);
    return { res, sup };
  }
  const count = async () => (await t.dataSource.query('SELECT COUNT(*) n FROM relative_registrations'))[0].n;

  it('refuses a 400 kB file that unpacks to 400 MB, says why, and keeps serving', async () => {
    const bomb = await whitespaceWorkbook(400 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(600 * 1024);
    const before = await count();
    const { res, sup } = await upload(bomb);
    expect(res.status).toBe(400);
    expect(res.text).toContain('表格解压后超过16MB');
    expect(res.text).toContain('没有保存任何记录');
    expect(await count()).toBe(before);
    expect((await sup.get('/relatives')).status).toBe(200);
  });

  it('refuses a part that unpacks hundreds of times its size, even under the total limit', async () => {
    const { res } = await upload(await whitespaceWorkbook(10 * 1024 * 1024));
    expect(res.status).toBe(400);
    expect(res.text).toContain('压缩比过高');
  });

  it('refuses a file whose directory understates what a part unpacks to', async () => {
    // claims 1 MB for a sheet of 400 MB: the claimed sizes pass, the inflation does not
    const { res } = await upload(await whitespaceWorkbook(400 * 1024 * 1024, 1024 * 1024));
    expect(res.status).toBe(400);
    expect(res.text).toContain('压缩比过高');
  });

  it('refuses a file that is not a workbook', async () => {
    for (const file of [Buffer.from('工作人员姓名,职务\n张三,会计\n'), zip([deflatePart('word/document.xml', '<w:document/>'), deflatePart('[Content_Types].xml', '<Types/>')])]) {
      const { res } = await upload(file);
      expect(res.status).toBe(400);
      expect(res.text).toContain('请上传 .xlsx 格式的表格');
    }
  });

  it('still imports a normal workbook of the register’s layout', async () => {
    const before = await count();
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('近亲属备案');
    ws.addRow(['工作人员姓名', '职务', '单位', '乡镇', '村（社区）', '任职日期', '亲属姓名', '亲属身份证号码', '关系', '救助项目']);
    ws.addRow(['周会计', '村会计', '龙泉村村委会', '龙泉镇', '龙泉村', '2026-10-01', '周小妹', '', '兄弟姐妹', '农村低保']);
    const { res } = await upload(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(res.status).toBe(303);
    expect(await count()).toBe(before + 1);
  });
});
