/**
 * The HTTP tier's files run in a few groups per engine rather than one Jest file each: every Jest
 * test file loads the whole application afresh (Nest, TypeORM, the entities, the views), about
 * three seconds of a core each, so forty files paid two minutes per engine for loading alone.
 * A group file (test/e2e/group-N.e2e-spec.ts) runs its members one after another, each in its own
 * describe block, on modules loaded once. Members are balanced by their last measured durations
 * (test/durations.json, `npm run test:durations` refreshes it); a file not measured yet counts as
 * the median. Run one member alone by its name: `npx jest --testPathPatterns cases-api`.
 */
const fs = require('fs');
const path = require('path');

const E2E = path.resolve(__dirname, '..', 'e2e');
const DURATIONS = path.resolve(__dirname, '..', 'durations.json');
const GROUPS = 6;
const MEMBER = /\.e2e\.ts$/;

function durations() {
  try {
    return JSON.parse(fs.readFileSync(DURATIONS, 'utf8'));
  } catch {
    return {};
  }
}

/** Projects that run the HTTP tier's members, one per engine. */
const HTTP_PROJECTS = ['http', 'http-pg'];

/** Measured seconds of a file in a project ("project|path" keys), or null if never measured. */
function seconds(all, project, rel) {
  const d = all[`${project}|${rel}`];
  return typeof d === 'number' ? d : null;
}

/** Estimated seconds of a member over both engines, or null if never measured. */
function estimate(all, rel) {
  const each = HTTP_PROJECTS.map((p) => seconds(all, p, rel));
  return each.every((v) => v === null) ? null : each.reduce((a, v) => a + (v ?? 0), 0);
}

function members() {
  return fs.readdirSync(E2E).filter((f) => MEMBER.test(f)).sort();
}

/** The members of each group, longest first into the lightest group (the same on every machine). */
function groups() {
  const all = durations();
  const names = members();
  const rel = (f) => `test/e2e/${f}`;
  const known = names.map((f) => estimate(all, rel(f))).filter((v) => v !== null).sort((a, b) => a - b);
  const median = known.length ? known[Math.floor(known.length / 2)] : 1;
  const items = names.map((f) => ({ f, t: estimate(all, rel(f)) ?? median }));
  items.sort((a, b) => b.t - a.t || a.f.localeCompare(b.f));
  const bins = Array.from({ length: GROUPS }, () => ({ total: 0, files: [] }));
  for (const it of items) {
    const bin = bins.reduce((lightest, b) => (b.total < lightest.total ? b : lightest));
    bin.files.push(it.f);
    bin.total += it.t;
  }
  return bins.map((b) => ({ files: b.files.sort(), seconds: b.total }));
}

module.exports = { E2E, DURATIONS, GROUPS, MEMBER, HTTP_PROJECTS, groups, members, durations, seconds };
