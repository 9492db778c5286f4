import * as fs from 'fs';
import * as path from 'path';
import { toMatchQuery } from '../../src/cases/search-text';
import { createDataSource } from '../../src/database/data-source';
import { MIGRATIONS } from '../../src/database/migrations';
import { helpRequestBody } from '../factories/case.factory';
import { TMP_DIR } from '../utils/paths';
import { apiToken, createTestApp, signIn, TestApp } from '../utils/test-app';

const CONTENT = '反映人吉𠮷祥于二〇二六年十一月来电称家中房屋漏雨无人维修申请临时救助';

/** Issue 9 §5: search finds the text around 𠮷 (outside the BMP) and 〇. */
describe('searching text with rare characters', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp();
    token = await apiToken(t, 'operator');
  });
  afterAll(() => t.close());

  it('finds a case by the words after 𠮷 and 〇 in the middle of a run, on the API and the case list', async () => {
    const c = (await t.http().post('/api/v1/cases').set('Authorization', `Bearer ${token}`).send(helpRequestBody({ townshipId: 1, villageId: null, content: CONTENT }))).body;
    expect(c.caseNo).toBeDefined();
    for (const q of ['祥于二', '房屋漏雨无人维修', '二〇二六年十一月', '𠮷祥']) {
      const res = await t.http().get(`/api/v1/cases?q=${encodeURIComponent(q)}`).set('Authorization', `Bearer ${token}`);
      expect({ q, found: res.body.items.map((i: { caseNo: string }) => i.caseNo) }).toEqual({ q, found: [c.caseNo] });
    }
    const page = await (await signIn(t, 'operator')).get(`/cases?q=${encodeURIComponent('房屋漏雨')}`);
    expect(page.text).toContain(c.caseNo);
  });
});

/** The first release's tokenizer, as it wrote case_search (a BMP range for Han). */
function firstReleaseBody(text: string): string {
  const out: string[] = [];
  for (const m of text.matchAll(/([\u3400-\u9fff\uf900-\ufaff]+)|([\p{L}\p{N}]+)/gu)) {
    if (m[1]) {
      const chars = Array.from(m[1]);
      if (chars.length === 1) out.push(chars[0]);
      else {
        for (let i = 0; i < chars.length - 1; i++) out.push(chars[i] + chars[i + 1]);
        out.push(chars[chars.length - 1]);
      }
    } else out.push(m[2].toLowerCase());
  }
  return out.join(' ');
}

describe('the reindex migration', () => {
  it('makes the cases indexed by the first release findable by the words after 𠮷 and 〇', async () => {
    const file = path.join(TMP_DIR, `reindex-${process.pid}.sqlite`);
    const before = createDataSource(file, { migrations: MIGRATIONS.slice(0, 3) });
    await before.initialize();
    await before.runMigrations();
    await before.query(`INSERT INTO townships (id, code, name, sortOrder, active) VALUES (1, 'T1', '城关镇', 1, 1)`);
    await before.query(`INSERT INTO users (id, username, displayName, passwordHash, role) VALUES (1, 'u1', '王丽', 'x', 'operator')`);
    const contents = [CONTENT, '咨询低保政策和申请材料'];
    for (const [i, content] of contents.entries()) {
      await before.query(
        `INSERT INTO cases (id, caseNo, channel, kind, program, problemTypes, reporterType, townshipId, content, urgency, status, receivedAt, createdById, createdAt, updatedAt, version)
         VALUES (?, ?, 'hotline', 'consultation', 'other', '', 'anonymous', 1, ?, 'normal', 'registered', datetime('now'), 1, datetime('now'), datetime('now'), 1)`,
        [i + 1, `JZ2026-00000${i + 1}`, content],
      );
      await before.query('INSERT INTO case_search (rowid, body) VALUES (?, ?)', [i + 1, firstReleaseBody(content)]);
    }
    const find = async (ds: typeof before, q: string) => (await ds.query('SELECT rowid AS id FROM case_search WHERE case_search MATCH ? ORDER BY rowid', [toMatchQuery(q)])).map((r: { id: number }) => r.id);
    // what the audit saw: nothing after the rare character can be found
    expect(await find(before, '房屋漏雨')).toEqual([]);
    await before.destroy();

    const now = createDataSource(file);
    await now.initialize();
    try {
      await now.runMigrations();
      expect(await find(now, '房屋漏雨')).toEqual([1]);
      expect(await find(now, '祥于二')).toEqual([1]);
      expect(await find(now, '低保政策')).toEqual([2]);
      expect((await now.query('SELECT COUNT(*) n FROM case_search'))[0].n).toBe(2);
    } finally {
      await now.destroy();
      for (const s of ['', '-wal', '-shm']) fs.rmSync(file + s, { force: true });
    }
  });
});
