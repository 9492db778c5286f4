import Database from 'better-sqlite3';
import { toMatchQuery, toSearchBody } from '../../src/cases/search-text';

describe('Chinese substring search', () => {
  const db = new Database(':memory:');
  db.exec(`CREATE VIRTUAL TABLE s USING fts5(body, tokenize = 'unicode61', prefix = '1')`);
  const docs = [
    '举报村主任优亲厚友，把亲戚纳入低保',
    '申请临时救助，家中失火',
    '咨询低保金什么时候发放 2026年',
    '反映特困供养金未到账',
  ];
  const insert = db.prepare('INSERT INTO s(rowid, body) VALUES (?, ?)');
  docs.forEach((d, i) => insert.run(i + 1, toSearchBody(d)));
  const find = (q: string) =>
    (db.prepare('SELECT rowid FROM s WHERE s MATCH ? ORDER BY rowid').all(toMatchQuery(q)) as { rowid: number }[]).map((r) => r.rowid);

  it('finds a two-character word anywhere in the text', () => {
    expect(find('低保')).toEqual([1, 3]);
  });

  it('finds a longer phrase only where its characters are adjacent', () => {
    expect(find('优亲厚友')).toEqual([1]);
    expect(find('亲厚村')).toEqual([]);
  });

  it('finds a single character, also at the end of a run', () => {
    expect(find('火')).toEqual([2]);
    expect(find('供')).toEqual([4]);
  });

  it('requires every word of a query with spaces', () => {
    expect(find('低保 发放')).toEqual([3]);
  });

  it('finds digits by prefix', () => {
    expect(find('2026')).toEqual([3]);
  });

  it('gives nothing searchable for punctuation only', () => {
    expect(toMatchQuery('，。！')).toBeNull();
  });

  it('cannot be broken by FTS syntax in the query', () => {
    expect(() => find('低保" OR "x')).not.toThrow();
    expect(() => find('NEAR(低保')).not.toThrow();
  });
});
