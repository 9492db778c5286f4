import * as fs from 'fs';
import * as path from 'path';
import { E2E, groups } from './groups';
import { TMP_DIR } from './paths';

/** Where each member's measured seconds go (read by `npm run test:durations`). */
export const MEASURED = path.join(TMP_DIR, 'durations.jsonl');

/**
 * Runs the members of one group (test/utils/groups.js) as describe blocks of this file, each with
 * the environment it started with: a member that sets process.env for its app leaves nothing to
 * the next one.
 */
export function runGroup(groupFile: string): void {
  const n = Number(/group-(\d+)\./.exec(path.basename(groupFile))?.[1]);
  const files = groups()[n - 1]?.files ?? [];
  if (files.length === 0) throw new Error(`${path.basename(groupFile)}: no members (test/utils/groups.js GROUPS is larger than the number of files)`);
  const engine = process.env.DUBAN_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';
  for (const file of files) {
    describe(file.replace(/\.e2e\.ts$/, ''), () => {
      let saved: NodeJS.ProcessEnv = {};
      let started = 0;
      beforeAll(() => {
        saved = { ...process.env };
        started = Date.now();
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(path.join(E2E, file));
      afterAll(() => {
        for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
        Object.assign(process.env, saved);
        fs.mkdirSync(TMP_DIR, { recursive: true });
        fs.appendFileSync(MEASURED, JSON.stringify({ file: `test/e2e/${file}`, engine, seconds: (Date.now() - started) / 1000 }) + '\n');
      });
    });
  }
}
