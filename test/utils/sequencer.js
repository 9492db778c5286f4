/**
 * The order Jest starts test files in, the same on a fresh clone as on a warm machine: longest
 * first by test/durations.json (a group counts as the sum of its members), so the two workers
 * finish together instead of one waiting on a long file started last. Jest's own order needs its
 * cache, which a fresh clone does not have, and falls back to file size (a group file is four
 * lines). When the HTTP groups are in the run, their members are left out (the groups run them);
 * a member picked by a path pattern runs on its own.
 */
const path = require('path');
const Sequencer = require('@jest/test-sequencer').default;
const { MEMBER, durations, groups, seconds } = require('./groups');

const ROOT = path.resolve(__dirname, '..', '..');
const GROUP = /[\\/]group-(\d+)\.e2e-spec\.ts$/;

class DurationSequencer extends Sequencer {
  sort(tests) {
    const all = durations();
    const groupList = groups();
    const hasGroups = tests.some((t) => GROUP.test(t.path));
    const run = hasGroups ? tests.filter((t) => !MEMBER.test(t.path)) : tests;
    const estimate = (t) => {
      const project = t.context.config.displayName?.name ?? '';
      const g = GROUP.exec(t.path);
      if (g) return (groupList[Number(g[1]) - 1]?.files ?? []).reduce((a, f) => a + (seconds(all, project, `test/e2e/${f}`) ?? 10), 0);
      return seconds(all, project, path.relative(ROOT, t.path).split(path.sep).join('/')) ?? 10;
    };
    return [...run].sort((a, b) => estimate(b) - estimate(a) || a.path.localeCompare(b.path));
  }
}

module.exports = DurationSequencer;
