import Database from 'better-sqlite3';
import * as fs from 'fs';
import { canonicalTime, entryHash } from '../../src/cases/history/history-chain';
import { verifyHistoryFile } from '../../src/cli/verify-history';
import { copyTemplate } from '../utils/test-app';

/**
 * What someone with the database file could do behind the application's back: switch a trigger
 * off, change the record, switch it on again. `npm run verify-history` must say so, with the
 * case number and the entry.
 */
describe('npm run verify-history', () => {
  let file: string;
  beforeEach(() => (file = copyTemplate('demo')));
  afterEach(() => {
    for (const s of ['', '-wal', '-shm']) fs.rmSync(file + s, { force: true });
  });

  const run = () => {
    const lines: string[] = [];
    const code = verifyHistoryFile(file, (l) => lines.push(l));
    return { code, lines, findings: lines.slice(0, -1), summary: lines[lines.length - 1] };
  };

  /** Runs `work` with the named triggers dropped, then creates them again as they were. */
  const behindTheTriggers = (names: string[], work: (db: Database.Database) => void) => {
    const db = new Database(file);
    const sql = names.map((n) => (db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?`).get(n) as { sql: string }).sql);
    for (const n of names) db.exec(`DROP TRIGGER "${n}"`);
    work(db);
    for (const s of sql) db.exec(s);
    db.close();
  };

  /** A case of the demo with at least four entries, and its entries. */
  const aCase = (offset = 0) => {
    const db = new Database(file, { readonly: true });
    const c = db.prepare(`SELECT c.id, c.caseNo FROM cases c WHERE (SELECT COUNT(*) FROM case_history h WHERE h.caseId = c.id) >= 4 ORDER BY c.id LIMIT 1 OFFSET ?`).get(offset) as { id: number; caseNo: string };
    const rows = db.prepare('SELECT * FROM case_history WHERE caseId = ? ORDER BY seq').all(c.id) as Record<string, unknown>[];
    db.close();
    return { ...c, rows };
  };

  it('finds every chain of the demo database intact and exits with 0', () => {
    const r = run();
    expect(r.code).toBe(0);
    expect(r.findings).toEqual([]);
    expect(r.summary).toMatch(/^已核对 240 件案件的 [\d,]+ 条办理记录（[\d.]+ 秒）：全部完好/);
  });

  it('reports a note changed in place, with the case number and the entry, and exits with 1', () => {
    const c = aCase();
    behindTheTriggers(['case_history_no_update'], (db) => db.prepare(`UPDATE case_history SET note = '已入户核实，情况属实。' WHERE caseId = ? AND seq = 2`).run(c.id));
    const r = run();
    expect(r.code).toBe(1);
    expect(r.findings).toEqual([`${c.caseNo} 第 2 条办理记录被改动：内容与它的哈希不符`]);
    expect(r.summary).toContain('发现 1 处问题，涉及 1 件案件');
  });

  it('reports a change to the data or the actor of an entry, not only its note', () => {
    const c = aCase();
    behindTheTriggers(['case_history_no_update'], (db) => {
      db.prepare(`UPDATE case_history SET actorName = '张三' WHERE caseId = ? AND seq = 3`).run(c.id);
      db.prepare(`UPDATE case_history SET data = '{"channel":"letter"}' WHERE caseId = ? AND seq = 1`).run(c.id);
    });
    expect(run().findings).toEqual([`${c.caseNo} 第 1 条办理记录被改动：内容与它的哈希不符`, `${c.caseNo} 第 3 条办理记录被改动：内容与它的哈希不符`]);
  });

  it('reports an entry removed from the middle of a case', () => {
    const c = aCase();
    behindTheTriggers(['case_history_no_delete'], (db) => db.prepare('DELETE FROM case_history WHERE caseId = ? AND seq = 2').run(c.id));
    const r = run();
    expect(r.code).toBe(1);
    expect(r.findings).toEqual([`${c.caseNo} 第 2 条办理记录被删除`]);
  });

  it('reports the last entry of a case removed, from the head kept on the case', () => {
    const c = aCase();
    const last = c.rows.length;
    behindTheTriggers(['case_history_no_delete'], (db) => db.prepare('DELETE FROM case_history WHERE caseId = ? AND seq = ?').run(c.id, last));
    const r = run();
    expect(r.code).toBe(1);
    expect(r.findings).toEqual([`${c.caseNo} 第 ${last} 条办理记录被删除（本案记录应到第 ${last} 条）`]);
  });

  it('reports every entry of a case removed', () => {
    const c = aCase();
    behindTheTriggers(['case_history_no_delete'], (db) => db.prepare('DELETE FROM case_history WHERE caseId = ?').run(c.id));
    expect(run().findings).toEqual([`${c.caseNo} 第 1–${c.rows.length} 条办理记录被删除：本案已没有任何记录`]);
  });

  it('reports an entry replaced by one with a correctly computed hash of its own', () => {
    // A forger who knows the format: same id and seq, another note, the hash recomputed over it.
    const c = aCase();
    const old = c.rows[1] as { id: number; caseId: number; seq: number; at: string; actorId: number | null; actorName: string; actorRole: string | null; type: string; action: string | null; fromStatus: string | null; toStatus: string | null; data: string | null; prevHash: string | null };
    const forged = { ...old, note: '反映人撤回诉求。' };
    const hash = entryHash({ ...forged, at: canonicalTime(forged.at) }, old.prevHash);
    behindTheTriggers(['case_history_no_delete', 'case_history_chain', 'case_history_head'], (db) => {
      db.prepare('DELETE FROM case_history WHERE id = ?').run(old.id);
      db.prepare(
        `INSERT INTO case_history (id, caseId, at, actorId, actorName, actorRole, type, action, fromStatus, toStatus, note, data, seq, prevHash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(old.id, old.caseId, old.at, old.actorId, old.actorName, old.actorRole, old.type, old.action, old.fromStatus, old.toStatus, forged.note, old.data, old.seq, old.prevHash, hash);
    });
    const r = run();
    expect(r.code).toBe(1);
    expect(r.findings).toEqual([`${c.caseNo} 第 2 条办理记录被替换：第 3 条记下的前一条不是它`]);
  });

  it('reports an entry deleted and written again at the end of the table', () => {
    const c = aCase();
    behindTheTriggers(['case_history_no_delete', 'case_history_chain', 'case_history_head'], (db) => {
      const row = db.prepare('SELECT * FROM case_history WHERE caseId = ? AND seq = 2').get(c.id) as Record<string, unknown>;
      db.prepare('DELETE FROM case_history WHERE id = ?').run(row.id);
      const { id: _id, ...rest } = row;
      db.prepare(`INSERT INTO case_history (${Object.keys(rest).join(', ')}) VALUES (${Object.keys(rest).map(() => '?').join(', ')})`).run(...Object.values(rest));
    });
    expect(run().findings).toEqual([expect.stringMatching(new RegExp(`^${c.caseNo} 第 2 条办理记录被替换：它的记录编号（\\d+）晚于第 3 条（\\d+）$`))]);
  });

  it('reports the last entry replaced, which no later entry names', () => {
    const c = aCase();
    const last = c.rows[c.rows.length - 1] as { id: number; seq: number; prevHash: string | null } & Record<string, never>;
    behindTheTriggers(['case_history_no_update'], (db) => {
      const row = db.prepare('SELECT * FROM case_history WHERE id = ?').get(last.id) as Parameters<typeof entryHash>[0] & { prevHash: string | null };
      const note = '已办结，反映人满意。';
      db.prepare('UPDATE case_history SET note = ?, hash = ? WHERE id = ?').run(note, entryHash({ ...row, at: canonicalTime(row.at), note }, row.prevHash), last.id);
    });
    expect(run().findings).toEqual([`${c.caseNo} 第 ${last.seq} 条（最后一条）办理记录被替换：与案件上记下的最后一条不符`]);
  });

  it('reports an entry added past the head without the application', () => {
    const c = aCase();
    const last = c.rows[c.rows.length - 1] as { seq: number; hash: string; caseId: number };
    behindTheTriggers(['case_history_head'], (db) => {
      const row = { caseId: c.id, seq: last.seq + 1, at: '2026-11-20 02:00:00.000', actorId: null, actorName: '某人', actorRole: null, type: 'note', action: null, fromStatus: null, toStatus: null, note: '补记', data: null };
      db.prepare(`INSERT INTO case_history (caseId, at, actorName, type, note, seq, prevHash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(
        c.id, row.at, row.actorName, row.type, row.note, row.seq, last.hash, entryHash({ ...row, at: canonicalTime(row.at) }, last.hash),
      );
    });
    expect(run().findings).toEqual([`${c.caseNo} 第 ${last.seq + 1} 条办理记录不是经本系统写入的（本案记录到第 ${last.seq} 条为止）`]);
  });

  it('reports each damaged case once per finding, across cases', () => {
    const a = aCase(0);
    const b = aCase(1);
    behindTheTriggers(['case_history_no_update', 'case_history_no_delete'], (db) => {
      db.prepare(`UPDATE case_history SET note = '改' WHERE caseId = ? AND seq = 1`).run(a.id);
      db.prepare('DELETE FROM case_history WHERE caseId = ? AND seq = 2').run(b.id);
    });
    const r = run();
    expect(r.findings).toEqual([`${a.caseNo} 第 1 条办理记录被改动：内容与它的哈希不符`, `${b.caseNo} 第 2 条办理记录被删除`]);
    expect(r.summary).toContain('发现 2 处问题，涉及 2 件案件');
  });
});
