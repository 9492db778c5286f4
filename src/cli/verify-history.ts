import Database from 'better-sqlite3';
import * as fs from 'fs';
import { verifyDatabase } from '../cases/history/history-verify';
import { databasePathFrom } from '../config/config';

/**
 * npm run verify-history: walks every case's history chain in DATABASE_PATH and says, in plain
 * words, which entry of which case was changed, replaced or removed. Exit code 0 when every chain
 * is intact, 1 when not, 2 when the database cannot be checked. Opens the file read-only: it can
 * be run on the live database or on a copy an inspector was handed, and changes neither.
 */
export function verifyHistoryFile(file: string, out: (line: string) => void): number {
  if (!fs.existsSync(file)) {
    out(`找不到数据库文件 ${file}`);
    return 2;
  }
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const columns = (db.prepare(`SELECT name FROM pragma_table_info('case_history')`).all() as { name: string }[]).map((c) => c.name);
    if (!columns.includes('hash')) {
      out(`${file} 还没有办理记录链（请先用新版本启动一次，完成数据库升级）`);
      return 2;
    }
    const started = performance.now();
    const s = verifyDatabase(db, (f) => out(f.message));
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const checked = `已核对 ${s.cases.toLocaleString('en')} 件案件的 ${s.entries.toLocaleString('en')} 条办理记录（${seconds} 秒）`;
    if (!s.findings) {
      out(`${checked}：全部完好，没有被改动、替换或删除的记录。`);
      return 0;
    }
    out(`${checked}：发现 ${s.findings} 处问题，涉及 ${s.casesWithFindings} 件案件（见上）。`);
    return 1;
  } finally {
    db.close();
  }
}

if (require.main === module) {
  try {
    process.exitCode = verifyHistoryFile(databasePathFrom(process.env), (line) => console.log(line));
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 2;
  }
}
