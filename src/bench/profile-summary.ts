/**
 * node dist/bench/profile-summary.js FILE.cpuprofile [--per N] [--top 30]
 *
 * Where a CPU profile's time went: self time by function and by package or source folder, as
 * percentages and, given --per N (the requests in the profiled stretch), as ms per request.
 */
import * as fs from 'fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

function place(url: string): string {
  if (!url) return '(native/vm)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  const d = /\/dist\/(.+)\/[^/]+\.js$/.exec(url);
  if (d) return `duban:${d[1]}`;
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\//, '');
}

function main() {
  const file = process.argv[2];
  const per = Number(process.argv[process.argv.indexOf('--per') + 1]) || 0;
  const top = Number(process.argv[process.argv.indexOf('--top') + 1]) || 30;
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFn = new Map<string, number>();
  const byPlace = new Map<string, number>();
  for (const n of p.nodes) {
    const t = self.get(n.id) ?? 0;
    if (!t) continue;
    const f = `${n.callFrame.functionName || '(anonymous)'} ${place(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
    byFn.set(f, (byFn.get(f) ?? 0) + t);
    const pl = place(n.callFrame.url);
    byPlace.set(pl, (byPlace.get(pl) ?? 0) + t);
  }
  // inclusive: each sample counted once for every function on its stack
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const nodeById = new Map(p.nodes.map((n) => [n.id, n]));
  const key = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${place(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  const inclusive = new Map<string, number>();
  for (const [id, t] of self) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = key(nodeById.get(cur)!);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + t);
    }
  }
  const wall = (p.endTime - p.startTime) / 1000;
  const idle = [...p.nodes].filter((n) => n.callFrame.functionName === '(idle)').reduce((a, n) => a + (self.get(n.id) ?? 0), 0);
  const fmt = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%${per ? `  ${(us / 1000 / per).toFixed(3).padStart(7)} ms/req` : ''}`;
  console.log(`${file}: ${wall.toFixed(0)} ms profiled, ${((100 * idle) / total).toFixed(1)}% idle${per ? `, ${per} requests: ${((total - idle) / 1000 / per).toFixed(3)} ms busy per request` : ''}`);
  console.log('\nBy package or folder (self time):');
  for (const [k, v] of [...byPlace].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${fmt(v)}  ${k}`);
  console.log('\nBy function (self time):');
  for (const [k, v] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${fmt(v)}  ${k}`);
  // --callers NAME: the time of the functions called NAME, by the chain of the three frames of JavaScript above them
  const ci = process.argv.indexOf('--callers');
  if (ci > 0) {
    const name = process.argv[ci + 1];
    const by = new Map<string, number>();
    for (const [id, t] of self) {
      const leaf = nodeById.get(id)!;
      if (leaf.callFrame.functionName !== name) continue;
      const chain: string[] = [];
      for (let cur = parent.get(id); cur !== undefined && chain.length < 3; cur = parent.get(cur)) {
        const n = nodeById.get(cur)!;
        if (n.callFrame.url) chain.push(key(n));
      }
      const k = chain.join(' < ');
      by.set(k, (by.get(k) ?? 0) + t);
    }
    console.log(`\nCallers of ${name}:`);
    for (const [k, v] of [...by].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${fmt(v)}  ${k}`);
  }
  const only = process.argv.includes('--duban');
  console.log(`\nBy function (inclusive${only ? ', Duban\'s own code' : ''}):`);
  for (const [k, v] of [...inclusive].filter(([k]) => !only || k.includes(' duban:')).sort((a, b) => b[1] - a[1]).slice(0, top * 2)) console.log(`  ${fmt(v)}  ${k}`);
}

main();
