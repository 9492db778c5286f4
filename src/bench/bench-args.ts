/** The command-line options of `npm run bench` (bench.ts) and of each engine's run (bench-engine.ts). */
import { nginxInstalled } from './instances';

export type Phase = 'intake' | 'latency' | 'export' | 'deadlines' | 'instances' | 'reference';
export const PHASES: readonly Phase[] = ['intake', 'latency', 'export', 'deadlines', 'instances', 'reference'];

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

/** Why the `instances` phase is not among the default phases on this machine; null if it is. */
export function instancesLeftOut(): string | null {
  return nginxInstalled() ? null : 'the instances phase (three instances behind nginx) is left out: nginx is not installed (apt-get install nginx)';
}

/**
 * The phases asked for (--phases intake,latency), less those left out with a 0. By default every
 * phase, but `instances` only where nginx is installed; asked for by name without nginx, it is an error.
 */
export function phasesAsked(): Set<Phase> {
  const given = process.argv.includes('--phases');
  const asked = (given ? textArg('phases', '') : PHASES.filter((p) => p !== 'instances' || !instancesLeftOut()).join(',')).split(',').map((s) => s.trim()).filter(Boolean);
  for (const p of asked) if (!PHASES.includes(p as Phase)) throw new Error(`--phases: unknown phase "${p}" (${PHASES.join(', ')})`);
  if (given && asked.includes('instances') && instancesLeftOut()) throw new Error('--phases instances needs nginx, which is not installed (apt-get install nginx)');
  const set = new Set(asked as Phase[]);
  if (arg('export', 1, 0) === 0) set.delete('export');
  if (arg('deadline-cases', 1, 0) === 0) set.delete('deadlines');
  return set;
}

