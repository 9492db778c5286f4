import Database from 'better-sqlite3';
import * as fs from 'fs';
import { hasHistoryChain, readOnly } from '../cases/history/case-history.repository';
import { verifyDatabase, verifyHistory, VerifySummary } from '../cases/history/history-verify';
import { databasePathFrom, describeDatabase } from '../config/config';
import { createDataSource } from '../database/data-source';
import { engineFrom } from '../database/engine';

/**
 * npm run verify-history: walks every case's history chain in DATABASE_PATH (or, with
 * DATABASE_URL, the PostgreSQL database) and says, in plain words, which entry of which case was
 * changed, replaced or removed. Exit code 0 when every chain is intact, 1 when not, 2 when the
 * database cannot be checked. Reads only (the file opened read-only, PostgreSQL in a read-only
 * transaction): it can be run on the live database or on a copy an inspector was handed, and
 * changes neither.
 */
export function verifyHistoryFile(file: string, out: (line: string) => void): number {
  if (!fs.existsSync(file)) {
    out(`找不到数据库文件 ${file}`);
    return 2;
  }
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    if (!hasHistoryChain(db)) {
      out(`${file} 还没有办理记录链（请先用新版本启动一次，完成数据库升级）`);
      return 2;
    }
    const started = performance.now();
    return conclude(verifyDatabase(db, (f) => out(f.message)), started, out);
  } finally {
    db.close();
  }
}

/** The same on a PostgreSQL database (DATABASE_URL), in one read-only transaction: one snapshot of every chain. */
export async function verifyHistoryPostgres(url: string, out: (line: string) => void): Promise<number> {
  const ds = createDataSource({ engine: 'postgres', url });
  try {
    await ds.initialize();
  } catch (e) {
    out(`无法连接数据库 ${describeDatabase({ engine: 'postgres', url })}：${e instanceof Error ? e.message : e}`);
    return 2;
  }
  const qr = ds.createQueryRunner();
  try {
    await qr.startTransaction('REPEATABLE READ');
    await readOnly(qr);
    const started = performance.now();
    const s = await verifyHistory(qr.manager, (f) => out(f.message));
    await qr.commitTransaction();
    return conclude(s, started, out);
  } finally {
    if (qr.isTransactionActive) await qr.rollbackTransaction();
    await qr.release();
    await ds.destroy();
  }
}

function conclude(s: VerifySummary, started: number, out: (line: string) => void): number {
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const checked = `已核对 ${s.cases.toLocaleString('en')} 件案件的 ${s.entries.toLocaleString('en')} 条办理记录（${seconds} 秒）`;
  if (!s.findings) {
    out(`${checked}：全部完好，没有被改动、替换或删除的记录。`);
    return 0;
  }
  out(`${checked}：发现 ${s.findings} 处问题，涉及 ${s.casesWithFindings} 件案件（见上）。`);
  return 1;
}

if (require.main === module) {
  const out = (line: string) => console.log(line);
  const fail = (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 2;
  };
  if (engineFrom(process.env) === 'postgres') {
    verifyHistoryPostgres(process.env.DATABASE_URL!, out).then((code) => (process.exitCode = code), fail);
  } else {
    try {
      process.exitCode = verifyHistoryFile(databasePathFrom(process.env), out);
    } catch (e) {
      fail(e);
    }
  }
}
