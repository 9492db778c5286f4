/**
 * Writes what this run measured to test/.tmp/durations.json ("project|path": seconds): each test
 * file's time from Jest, and for the HTTP groups each member's own time (test/utils/group.ts).
 * `npm run test:durations` merges it into test/durations.json, which balances the groups and
 * orders the run (test/utils/groups.js, test/utils/sequencer.js).
 */
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const TMP = path.join(ROOT, 'test', '.tmp');

class DurationsReporter {
  onRunComplete(_contexts, results) {
    const out = {};
    for (const r of results.testResults) {
      if (/group-\d+\.e2e-spec\.ts$/.test(r.testFilePath)) continue;
      const project = r.displayName?.name ?? '';
      const rel = path.relative(ROOT, r.testFilePath).split(path.sep).join('/');
      out[`${project}|${rel}`] = Math.round((r.perfStats.end - r.perfStats.start) / 100) / 10;
    }
    try {
      for (const line of fs.readFileSync(path.join(TMP, 'durations.jsonl'), 'utf8').split('\n')) {
        if (!line) continue;
        const m = JSON.parse(line);
        out[`${m.engine === 'postgres' ? 'http-pg' : 'http'}|${m.file}`] = Math.round(m.seconds * 10) / 10;
      }
    } catch {
      // no HTTP group ran
    }
    fs.mkdirSync(TMP, { recursive: true });
    fs.writeFileSync(path.join(TMP, 'durations.json'), JSON.stringify(out, null, 2) + '\n');
  }
}
module.exports = DurationsReporter;
