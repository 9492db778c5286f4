/** The command-line options of `npm run bench` (bench.ts) and of each engine's run (bench-engine.ts). */

export type Phase = 'intake' | 'latency' | 'export' | 'deadlines' | 'reference';
export const PHASES: readonly Phase[] = ['intake', 'latency', 'export', 'deadlines', 'reference'];

/** A number argument; `min` 0 for the phases that can be left out (`--export 0`, `--deadline-cases 0`). */
export function arg(name: string, def: number, min = 1): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return def;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v < min) throw new Error(min > 0 ? `--${name} takes a positive number` : `--${name} takes a number, 0 to leave the phase out`);
  return v;
}

export function textArg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? def : (process.argv[i + 1] ?? '');
}

/** The phases asked for (--phases intake,latency), less those left out with a 0. */
export function phasesAsked(): Set<Phase> {
  const asked = textArg('phases', PHASES.join(',')).split(',').map((s) => s.trim()).filter(Boolean);
  for (const p of asked) if (!PHASES.includes(p as Phase)) throw new Error(`--phases: unknown phase "${p}" (${PHASES.join(', ')})`);
  const set = new Set(asked as Phase[]);
  if (arg('export', 1, 0) === 0) set.delete('export');
  if (arg('deadline-cases', 1, 0) === 0) set.delete('deadlines');
  return set;
}

