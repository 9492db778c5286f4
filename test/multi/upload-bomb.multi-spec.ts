import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import request from 'supertest';
import { whitespaceWorkbook } from '../utils/zip';
import { copyTemplate, csrfFrom, DEMO_PASSWORD } from '../utils/test-app';
import { freePort } from '../../src/bench/instances';

const MAIN = path.resolve(__dirname, '..', '..', 'dist', 'main.js');


/**
 * The audit's zip bomb against the server as deployed: its own process with the heap capped at
 * 192 MB, as `npm start` runs it. Before the sizes were checked this upload ended the process.
 */
describe('an upload that unpacks to 400 MB, against the server with its 192 MB heap', () => {
  let server: ChildProcess;
  let base: string;
  let dbPath: string;
  let exited: number | null | undefined;
  beforeAll(async () => {
    dbPath = copyTemplate('demo');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, ['--max-old-space-size=192', MAIN], {
      env: { ...process.env, DATABASE_PATH: dbPath, PORT: String(port), NODE_ENV: 'test', DEMO_DATA: '0', JOBS: '0' },
      stdio: 'ignore',
    });
    server.on('exit', (code) => (exited = code));
    for (let i = 0; i < 300; i++) {
      const up = await request(base).get('/api/v1/health').then((r) => r.status === 200, () => false);
      if (up) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the server did not start');
  });
  afterAll(() => {
    if (server.exitCode === null) server.kill();
    for (const s of ['', '-wal', '-shm']) fs.rmSync(dbPath + s, { force: true });
  });

  it('answers 400 with the reason in Chinese and goes on serving', async () => {
    const agent = request.agent(base);
    const login = await agent.get('/login');
    expect((await agent.post('/login').type('form').send({ username: 'supervisor', password: DEMO_PASSWORD, _csrf: csrfFrom(login.text) })).status).toBe(303);
    const page = await agent.get('/relatives');
    const res = await agent.post('/relatives/import').field('_csrf', csrfFrom(page.text)).attach('file', await whitespaceWorkbook(400 * 1024 * 1024), '备案.xlsx');
    expect(res.status).toBe(400);
    expect(res.text).toContain('表格解压后超过16MB');
    expect((await agent.get('/relatives')).status).toBe(200);
    expect((await request(base).get('/api/v1/health')).status).toBe(200);
    expect(exited).toBeUndefined();
  });
});
