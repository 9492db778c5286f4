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

describe('Chinese search around rare characters', () => {
  const db = new Database(':memory:');
  db.exec(`CREATE VIRTUAL TABLE s USING fts5(body, tokenize = 'unicode61', prefix = '1')`);
  const docs = [
    '反映人吉𠮷祥家住东关村，申请临时救助，家中失火',
    '来信日期二〇二六年十一月反映低保金未按时发放',
    '家庭成员有三人々々，请求核实低保资格',
    '电话反映2026年村里低保评议不公开',
  ];
  docs.forEach((d, i) => db.prepare('INSERT INTO s(rowid, body) VALUES (?, ?)').run(i + 1, toSearchBody(d)));
  const find = (q: string) => (db.prepare('SELECT rowid FROM s WHERE s MATCH ? ORDER BY rowid').all(toMatchQuery(q)) as { rowid: number }[]).map((r) => r.rowid);

  it('finds the words after a Han character outside the BMP (𠮷 U+20BB7)', () => {
    expect(find('祥家住东关村')).toEqual([1]);
    expect(find('临时救助')).toEqual([1]);
    expect(find('吉𠮷祥')).toEqual([1]);
    expect(find('𠮷')).toEqual([1]);
  });

  it('finds the words after 〇 (U+3007) and counts it as Han', () => {
    expect(find('低保金未按时发放')).toEqual([2]);
    expect(find('二〇二六年')).toEqual([2]);
  });

  it('finds Han text right after digits', () => {
    expect(find('年村里')).toEqual([4]);
    expect(find('2026')).toEqual([4]);
    expect(find('核实低保')).toEqual([3]);
  });

  it('makes tokens of code points, never of half a surrogate pair', () => {
    // a lone surrogate would not survive a round trip through UTF-8
    for (const token of toSearchBody('𠮷野家𠮷').split(' ')) expect(Buffer.from(token, 'utf8').toString('utf8')).toBe(token);
    expect(toSearchBody('𠮷野')).toBe('𠮷野 野');
  });
});
