import { PassThrough } from 'stream';
import { excelJs } from '../../src/common/lazy-modules';
import { encodeLedger, LEDGER_COLUMNS, SELECTED } from '../../src/cases/ledger-encode';
import { openReadConnection } from '../../src/database/sql';
import { TEST_ENGINE } from '../utils/engine';
import { useServiceDatabase } from '../utils/service-db';

/**
 * A sheet holds 1,048,576 rows in Excel and LibreOffice: a longer ledger goes on over further
 * sheets, each with its header, no case left out or written twice. Checked with a small sheet
 * size and batches of 50 (each read while the one before is written) on the demo county's cases,
 * read back by an independent reader.
 */
describe(`the .xlsx ledger over several sheets (${TEST_ENGINE})`, () => {
  const t = useServiceDatabase('demo');

  it('goes on over sheets 台账, 台账（2）… with the header on each, every case once and in order, over many batches', async () => {
    const ids = ((await t.ds.query('SELECT id, caseNo FROM cases ORDER BY id')) as { id: number; caseNo: string }[]).map((r) => r.caseNo);
    expect(ids.length).toBeGreaterThan(200);
    const [u] = (await t.ds.query(`SELECT id, username, displayName, role, regionCode FROM users WHERE role = 'supervisor' ORDER BY id LIMIT 1`)) as { id: number; regionCode: string }[];
    const c = await openReadConnection(t.db.target, 'duban-test');
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (b: Buffer) => chunks.push(b));
    let rows: number;
    try {
      rows = await encodeLedger(
        {
          target: t.db.target, format: 'xlsx',
          sql: `SELECT ${SELECTED.slice(0, -2).map((col) => `c.${col}`).join(', ')} FROM cases c WHERE c.id > ? ORDER BY c.id LIMIT 50`,
          params: [0], lastAt: 0,
          user: { ...u, countyCodes: [u.regionCode], via: 'session', recused: true } as never,
          county: true, today: '2026-12-01', repeatScope: { sql: '1 = 1', params: [] }, keepFound: 0, sheetRows: 100, batchRows: 50,
        },
        c, out, () => undefined,
      );
    } finally {
      await c.close();
    }
    expect(rows).toBe(ids.length);
    const wb = new (excelJs().Workbook)();
    await wb.xlsx.load(Buffer.concat(chunks) as never);
    const sheets = Math.ceil(ids.length / 100);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['台账', ...Array.from({ length: sheets - 1 }, (_, i) => `台账（${i + 2}）`)]);
    const seen: string[] = [];
    for (const w of wb.worksheets) {
      expect(w.getRow(1).getCell(1).value).toBe(LEDGER_COLUMNS[0][1]);
      expect(w.getRow(1).getCell(LEDGER_COLUMNS.length).value).toBe(LEDGER_COLUMNS[LEDGER_COLUMNS.length - 1][1]);
      expect(w.actualRowCount - 1).toBeLessThanOrEqual(100);
      w.eachRow((row, i) => {
        if (i > 1) seen.push(String(row.getCell(1).value));
      });
    }
    expect(seen).toEqual(ids);
  });
});
