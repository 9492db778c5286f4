import { Writable } from 'stream';
import { excelJs } from '../../src/common/lazy-modules';
import { columnName, XlsxStreamWriter } from '../../src/common/xlsx-stream';

/** A client that takes the bytes slowly, a few kilobytes at a time. */
function slowClient(): { out: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const out = new Writable({
    highWaterMark: 4096,
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk);
      setImmediate(cb);
    },
  });
  return { out, bytes: () => Buffer.concat(chunks) };
}

async function read(buf: Buffer) {
  const wb = new (excelJs().Workbook)();
  await wb.xlsx.load(buf as never);
  return wb;
}

describe('the streaming .xlsx writer of the ledger', () => {
  it('names columns as Excel does', () => {
    expect([0, 25, 26, 27, 51, 52, 701, 702].map(columnName)).toEqual(['A', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
  });

  it('writes what users typed as text, leaving out only what XML cannot hold, over several sheets, read back by exceljs', async () => {
    const { out, bytes } = slowClient();
    const w = new XlsxStreamWriter(out);
    const columns = [
      { header: '案件编号', width: 16 },
      { header: '诉求内容 & <说明>', width: 50 },
      { header: '备注', width: 10 },
    ];
    await w.addSheet('台账', columns);
    const odd = ['A&B <b>x</b> "引号"', ' 前后有空格 ', '第一行\r\n第二行', '控制\x01字符', '表情😀', '孤\uD800字', '=1+1'];
    for (const [i, v] of odd.entries()) await w.addRow([`N${i}`, v, i % 2 ? null : '']);
    await w.addSheet("台账'（2）", columns);
    for (let i = 0; i < 20_000; i++) await w.addRow([`M${i}`, `内容${i}`, i % 3 ? '有' : null]);
    await w.end();

    const wb = await read(bytes());
    expect(wb.worksheets.map((s) => s.name)).toEqual(['台账', "台账'（2）"]);
    const [a, b] = wb.worksheets;
    expect(a.getRow(1).values).toEqual([undefined, '案件编号', '诉求内容 & <说明>', '备注']);
    expect(a.getRow(1).getCell(1).font?.bold).toBe(true);
    const got = odd.map((_, i) => a.getRow(i + 2).getCell(2).value);
    expect(got).toEqual(['A&B <b>x</b> "引号"', ' 前后有空格 ', '第一行\n第二行', '控制字符', '表情😀', '孤字', '=1+1']);
    // (a line break is one, as a cell holds it: XML reads CR LF as LF)
    // text, never a formula
    expect(a.getRow(8).getCell(2).type).toBe(excelJs().ValueType.String);
    expect(a.getRow(2).getCell(3).value).toBeNull();
    expect(a.actualRowCount).toBe(1 + odd.length);
    expect(b.actualRowCount).toBe(1 + 20_000);
    expect(b.getRow(20_001).getCell(1).value).toBe('M19999');
    expect(b.getRow(20_000).getCell(3).value).toBeNull();
    expect(b.getRow(20_001).getCell(3).value).toBe('有');
    expect(a.getColumn(2).width).toBe(50);
    // printed: A4 landscape, one page wide, the header on every page, frozen on screen
    for (const s of [a, b]) {
      expect(s.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
      expect(s.pageSetup.printTitlesRow).toBe('1:1');
      expect(s.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    }
  });

  it('leaves a value with no label (undefined) empty rather than failing the export', async () => {
    const { out, bytes } = slowClient();
    const w = new XlsxStreamWriter(out);
    await w.addSheet('台账', [{ header: '甲', width: 8 }, { header: '乙', width: 8 }]);
    await w.addRow([undefined, '有']);
    await w.end();
    const row = (await read(bytes())).worksheets[0].getRow(2);
    expect([row.getCell(1).value, row.getCell(2).value]).toEqual([null, '有']);
  });

  it('writes a workbook with no rows (the header alone)', async () => {
    const { out, bytes } = slowClient();
    const w = new XlsxStreamWriter(out);
    await w.addSheet('台账', [{ header: '案件编号', width: 16 }]);
    await w.end();
    const wb = await read(bytes());
    expect(wb.worksheets[0].actualRowCount).toBe(1);
    expect(wb.worksheets[0].getRow(1).getCell(1).value).toBe('案件编号');
  });
});
