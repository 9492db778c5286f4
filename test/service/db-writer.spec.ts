import Database from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { createDataSource } from '../../src/database/data-source';
import { DbWriter } from '../../src/database/db-writer.service';
import { Township } from '../../src/townships/entities/township.entity';
import { onPostgres, testDatabase, TEST_ENGINE, type TestDatabase } from '../utils/engine';
import { copyTemplate } from '../utils/test-app';

describe(`DbWriter on a real database (${TEST_ENGINE})`, () => {
  let db: TestDatabase;
  let ds: DataSource;
  let writer: DbWriter;
  beforeEach(async () => {
    db = await testDatabase('empty', copyTemplate);
    ds = createDataSource(db.target);
    await ds.initialize();
    writer = new DbWriter(ds);
  });
  afterEach(async () => {
    await ds.destroy();
    await db.drop();
  });

  let code = 141099000;
  const add = (name: string, fail = false) =>
    writer.write(async (m) => {
      await m.getRepository(Township).insert({ code: String(code++), name });
      if (fail) throw new Error(`refused ${name}`);
      return name;
    });

  it('runs 40 concurrent write transactions without "transaction within a transaction"', async () => {
    const names = Array.from({ length: 40 }, (_, i) => `乡镇${i}`);
    await expect(Promise.all(names.map((n) => add(n)))).resolves.toEqual(names);
    expect((await ds.query('SELECT COUNT(*) n FROM townships'))[0].n).toBe(40);
  });

  it('rolls back only the job that failed when jobs are committed together', async () => {
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => add(`组${i}`, i === 5)));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect((results[5] as PromiseRejectedResult).reason.message).toBe('refused 组5');
    const names = (await ds.query('SELECT name FROM townships ORDER BY id')).map((r: { name: string }) => r.name);
    expect(names).toHaveLength(11);
    expect(names).not.toContain('组5');
  });

  // SQLite: writes share one connection and are committed in groups (DbWriter's queue).
  if (!onPostgres) {
    it('commits writes started in the same turn of the event loop together, with one COMMIT', async () => {
      // better-sqlite3 answers at once: a group started at once would hold only the first write
      const raw = (ds.driver as unknown as { databaseConnection: Database.Database }).databaseConnection;
      const exec = raw.exec.bind(raw);
      let commits = 0;
      raw.exec = ((sql: string) => {
        if (/^\s*COMMIT/i.test(sql)) commits++;
        return exec(sql);
      }) as typeof raw.exec;
      const spy = jest.spyOn(ds.createQueryRunner().constructor.prototype as { query: (q: string) => Promise<unknown> }, 'query');
      try {
        await Promise.all(Array.from({ length: 8 }, (_, i) => add(`同批${i}`)));
      } finally {
        raw.exec = exec;
      }
      const viaTypeorm = spy.mock.calls.filter(([q]) => /^\s*COMMIT/i.test(String(q))).length;
      spy.mockRestore();
      expect(commits + viaTypeorm).toBe(1);
    });

    it('tells every caller of a group when SQLite abandons the whole transaction, and keeps writing safely', async () => {
      // RAISE(ROLLBACK) stands for what an I/O error or a full memory does: the transaction is gone.
      await ds.query(`CREATE TRIGGER boom BEFORE INSERT ON townships WHEN NEW.name = '爆' BEGIN SELECT RAISE(ROLLBACK, 'abandoned'); END`);
      await expect(add('前0')).resolves.toBe('前0');
      // the four started together share one transaction, which SQLite rolled back
      const results = await Promise.allSettled([add('前1'), add('爆'), add('后1'), add('后2')]);
      for (const r of results) expect(r.status).toBe('rejected');
      await expect(add('之后')).resolves.toBe('之后');
      const names = (await ds.query('SELECT name FROM townships ORDER BY id')).map((r: { name: string }) => r.name);
      expect(names).toEqual(['前0', '之后']);
      // and it is on disk: another connection sees it, and no transaction was left open
      const other = new Database((db.target as { path: string }).path, { readonly: true });
      try {
        expect((other.prepare('SELECT name FROM townships ORDER BY id').all() as { name: string }[]).map((r) => r.name)).toEqual(['前0', '之后']);
      } finally {
        other.close();
      }
    });
  }

  // PostgreSQL: each write has a connection of the pool and its own transaction.
  if (onPostgres) {
    it('lets a read through the DataSource inside a write see what the write has done, and nobody else see it before the commit', async () => {
      let seenInside = -1;
      let seenOutside = -1;
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const write = writer.write(async (m) => {
        await m.getRepository(Township).insert({ code: '141099800', name: '未提交' });
        seenInside = Number((await ds.query(`SELECT COUNT(*) AS n FROM townships WHERE name = '未提交'`))[0].n);
        await held;
      });
      // another request, outside the write, while it is open
      await new Promise((r) => setTimeout(r, 50));
      seenOutside = Number((await ds.query(`SELECT COUNT(*) AS n FROM townships WHERE name = '未提交'`))[0].n);
      release();
      await write;
      expect({ seenInside, seenOutside }).toEqual({ seenInside: 1, seenOutside: 0 });
      expect(Number((await ds.query(`SELECT COUNT(*) AS n FROM townships WHERE name = '未提交'`))[0].n)).toBe(1);
    });

    it('runs a write again that lost a deadlock to another write, and both land', async () => {
      await add('甲');
      await add('乙');
      const [a, b] = (await ds.query('SELECT id FROM townships ORDER BY id')).map((r: { id: number }) => r.id);
      let attempts = 0;
      // two writes locking the same two rows in opposite orders: PostgreSQL aborts one with 40P01
      const cross = (first: number, second: number, tag: string) =>
        writer.write(async (m) => {
          attempts++;
          await m.query('UPDATE townships SET sortOrder = sortOrder + 1 WHERE id = ?', [first]);
          await new Promise((r) => setTimeout(r, 100));
          await m.query('UPDATE townships SET sortOrder = sortOrder + 1 WHERE id = ?', [second]);
          return tag;
        });
      await expect(Promise.all([cross(a, b, 'x'), cross(b, a, 'y')])).resolves.toEqual(['x', 'y']);
      expect(attempts).toBe(3);
      const sums = (await ds.query('SELECT sortOrder FROM townships ORDER BY id')).map((r: { sortOrder: number }) => r.sortOrder);
      expect(sums).toEqual([2, 2]);
    });
  }

  it('lets a write started inside a write join it instead of waiting forever', async () => {
    const result = await writer.write(async (m) => {
      await m.getRepository(Township).insert({ code: '141099900', name: '外层' });
      return writer.write(async (inner) => (await inner.getRepository(Township).countBy({ name: '外层' })) === 1);
    });
    expect(result).toBe(true);
  });

  it('reports a constraint violation to the job that caused it and keeps the earlier row', async () => {
    await add('唯一');
    const dup = writer.write((m) => m.getRepository(Township).insert({ code: '141099901', name: '唯一' }));
    await expect(dup).rejects.toThrow(/UNIQUE|duplicate key/);
    expect((await ds.query(`SELECT COUNT(*) n FROM townships WHERE name = '唯一'`))[0].n).toBe(1);
  });
});
