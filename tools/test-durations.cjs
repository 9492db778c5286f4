#!/usr/bin/env node
/**
 * npm run test:durations: after a whole `npm test`, keeps what it measured (test/.tmp/durations.json)
 * in test/durations.json, which balances the HTTP groups and orders the next runs.
 */
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const measured = path.join(root, 'test', '.tmp', 'durations.json');
const kept = path.join(root, 'test', 'durations.json');
if (!fs.existsSync(measured)) {
  console.error('Nothing measured yet: run npm test first.');
  process.exit(1);
}
const old = fs.existsSync(kept) ? JSON.parse(fs.readFileSync(kept, 'utf8')) : {};
const now = JSON.parse(fs.readFileSync(measured, 'utf8'));
const merged = { ...old, ...now };
// files that no longer exist are forgotten
for (const k of Object.keys(merged)) if (!fs.existsSync(path.join(root, k.split('|')[1]))) delete merged[k];
const sorted = Object.fromEntries(Object.keys(merged).sort().map((k) => [k, merged[k]]));
fs.writeFileSync(kept, JSON.stringify(sorted, null, 2) + '\n');
console.log(`test/durations.json: ${Object.keys(now).length} files measured, ${Object.keys(sorted).length} kept.`);
