import * as http from 'http';
import type { AddressInfo } from 'net';
import { copyCases } from '../utils/cases';
import { onPostgres } from '../utils/engine';
import { apiToken, createTestApp, TestApp } from '../utils/test-app';

/** The ledger export runs in a worker thread: the server keeps answering while it streams. */
describe('a ledger export in progress', () => {
  let t: TestApp;
  let port: number;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp();
    const [{ id }] = await t.dataSource.query(`SELECT id FROM cases ORDER BY id LIMIT 1`);
    await copyCases(t.dataSource, id, 4000, 'OL2026', onPostgres);
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
    token = await apiToken(t, 'supervisor');
  });
  afterAll(() => t.close());

  /** An export read slowly: a chunk, then a pause; `drain()` reads the rest at full speed. */
  function slowExport(format: 'csv' | 'xlsx') {
    let bytes = 0;
    let ended = false;
    let fast = false;
    let res!: http.IncomingMessage;
    const done = new Promise<void>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: `/api/v1/cases/export?format=${format}`, headers: { authorization: `Bearer ${token}` } }, (r) => {
        res = r;
        r.on('data', (c: Buffer) => {
          bytes += c.length;
          if (fast) return;
          r.pause();
          setTimeout(() => r.resume(), 100);
        });
        r.on('end', () => {
          ended = true;
          resolve();
        });
        r.on('error', reject);
      });
      req.on('error', reject);
    });
    return {
      done,
      status: () => res?.statusCode,
      bytes: () => bytes,
      ended: () => ended,
      drain: () => {
        fast = true;
        res.resume();
        return done;
      },
      abort: () => res.destroy(),
    };
  }

  async function health(): Promise<number> {
    const t0 = Date.now();
    const r = await t.http().get('/api/v1/health');
    expect(r.body).toEqual({ status: 'ok' });
    return Date.now() - t0;
  }

  it('answers /api/v1/health within a second while a slowly read export streams, and the export still arrives whole', async () => {
    const csv = slowExport('csv');
    while (!csv.bytes()) await new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 5; i++) expect(await health()).toBeLessThan(1000);
    // still streaming: the answers above came during the export, not after it
    expect(csv.ended()).toBe(false);
    await csv.drain();
    expect(csv.status()).toBe(200);
    const [{ n }] = await t.dataSource.query('SELECT COUNT(*) AS n FROM cases');
    expect(n).toBeGreaterThan(4000);
    // header line, one line per case (no case's content holds a line break in this database)
    const head = await t.http().get('/api/v1/cases/export?format=csv').set('Authorization', `Bearer ${token}`).buffer(true);
    expect(head.text.split('\r\n').filter(Boolean).length).toBe(Number(n) + 1);
  });

  it('serves two exports at once, and goes on serving after a client leaves part-way', async () => {
    const a = slowExport('xlsx');
    const b = slowExport('csv');
    while (!a.bytes() || !b.bytes()) await new Promise((r) => setTimeout(r, 20));
    expect(await health()).toBeLessThan(1000);
    a.abort();
    await b.drain();
    expect(b.status()).toBe(200);
    expect(await health()).toBeLessThan(1000);
  });
});
