import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomBytes } from 'crypto';
import * as os from 'os';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { DbWriter } from '../database/db-writer.service';
import { jobState, releaseLease, saveJobProgress, setJobState, takeLease } from '../jobs/job-lease.repository';
import { countOpenClocks, CountyScope } from './deadlines.repository';
import { DeadlinesService, RecomputeProgress } from './deadlines.service';

export interface RecomputeSummary {
  checked: number;
  changed: number;
  missing: number;
}

/**
 * The saved state of the recomputation (job_leases row `deadline-recompute`): the change that
 * asked for it, how far it is, and a generation that a newer change raises (the recomputation
 * then starts over with the newest calendar and rules).
 */
interface RecomputeState extends RecomputeProgress {
  pending: boolean;
  gen: number;
  reason: string;
  actorName: string;
  total: number;
  /**
   * The counties whose clocks it recomputes: absent or null every county (a shared rule or the
   * national calendar changed), else those whose own rules or days changed since the last one
   * finished. Older saved states have none: every county, as before.
   */
  counties?: string[] | null;
}

/** The counties of two changes waiting together: every county if either needs every county. */
export function unionScope(a: CountyScope | undefined, b: CountyScope | undefined): string[] | null {
  if (!a || !b) return null;
  return [...new Set([...a, ...b])].sort();
}

const JOB = 'deadline-recompute';
const LEASE_MS = 2 * 60_000;
/** How often an instance waiting for another's recomputation looks again. */
const POLL_MS = 500;
/** How long the administrator's request waits for the recomputation before it goes on in the background. */
export const RECOMPUTE_WAIT_MS = 3000;

/** The work's result if it ends within `ms`, else null (it goes on; a later failure is logged where it runs). */
export async function resultWithin<T>(work: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((r) => (timer = setTimeout(() => r(null), ms)));
  work.catch(() => undefined);
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The recomputation of every open clock after a calendar or rule change, as a job that survives
 * the process: the change and the request to recompute are one write (mark), each batch saves
 * its progress in its own write, and an instance that starts finds an unfinished one and goes on
 * from where it stopped. One instance runs it at a time (the lease). The administrator's request
 * waits a little (a small county's recomputation is done before the page comes back); a long one
 * goes on in the background and the calendar page shows how far it is.
 */
@Injectable()
export class DeadlineRecomputeService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DeadlineRecompute');
  private readonly holder = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private running: Promise<RecomputeSummary | null> | null = null;
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: DbWriter,
    private readonly deadlines: DeadlinesService,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    // an unfinished recomputation (the process stopped part-way) goes on
    setImmediate(() => {
      void (async () => {
        const row = await jobState<RecomputeState>(this.dataSource.manager, JOB).catch(() => undefined);
        if (row?.state?.pending && !this.stopping) this.start().catch(() => undefined);
      })();
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.running?.catch(() => undefined);
  }

  /**
   * Inside the write that changes the calendar or a rule: the open clocks are to be computed again,
   * those of one county (`countyCode`, a change of its own rules or days) or of every county (a
   * shared change). A change made while an earlier one still waits or runs adds its county to it
   * (it starts over on both), so neither is lost; another county is never touched.
   */
  async mark(m: EntityManager, reason: string, actorName: string, countyCode?: string): Promise<void> {
    const prev = (await jobState<RecomputeState>(m, JOB))?.state;
    const mine: string[] | null = countyCode ? [countyCode] : null;
    const counties = prev?.pending ? unionScope(prev.counties, mine) : mine;
    const state: RecomputeState = {
      pending: true, gen: (prev?.gen ?? 0) + 1, reason, actorName, counties, total: await countOpenClocks(m, counties), lastId: 0, checked: 0, changed: 0, missing: 0,
    };
    await setJobState(m, JOB, state);
  }

  /**
   * Runs the marked recomputation (or waits for the instance that runs it) to its end: the
   * summary of the last one done.
   */
  async untilDone(): Promise<RecomputeSummary> {
    for (;;) {
      const r = await this.start();
      if (r) return r;
      const s = (await jobState<RecomputeState>(this.dataSource.manager, JOB))?.state;
      if (!s?.pending) return { checked: s?.checked ?? 0, changed: s?.changed ?? 0, missing: s?.missing ?? 0 };
      if (this.stopping) throw new Error('the application is stopping before the recomputation is done');
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  /** The line the calendar page shows while a recomputation runs (here or on another instance) that covers the county. */
  async status(countyCode?: string): Promise<string | null> {
    const s = (await jobState<RecomputeState>(this.dataSource.manager, JOB))?.state;
    if (!s?.pending) return null;
    // another county's own change is not this county's business (nor are its figures)
    if (countyCode && s.counties && !s.counties.includes(countyCode)) return null;
    const n = (x: number) => x.toLocaleString('en-US');
    return `正在重新计算期限：已完成 ${n(Math.min(s.checked, s.total))} / ${n(s.total)}`;
  }

  private start(): Promise<RecomputeSummary | null> {
    this.running ??= this.loop()
      .catch((e: unknown) => {
        // it stays marked: the next change or start-up runs it again
        this.logger.error(`recomputation failed: ${(e as Error).message}`);
        throw e;
      })
      .finally(() => (this.running = null));
    return this.running;
  }

  private until(): Date {
    return new Date(this.clock.now().getTime() + LEASE_MS);
  }

  private async loop(): Promise<RecomputeSummary | null> {
    for (;;) {
      if (this.stopping) return null;
      const got = await this.writer.write((m) => takeLease(m, JOB, this.holder, this.clock.now(), this.until()));
      // another instance runs it (its page shows the same progress)
      if (!got) return null;
      const start = (await jobState<RecomputeState>(this.dataSource.manager, JOB))?.state;
      if (!start?.pending) {
        await this.writer.write((m) => releaseLease(m, JOB, this.holder, this.clock.now(), start ?? null));
        return null;
      }
      const onBatch = async (m: EntityManager, p: RecomputeProgress): Promise<boolean> => {
        const cur = (await jobState<RecomputeState>(m, JOB))?.state;
        // a newer change (or shutdown): stop here, and start over if there is more to do
        if (this.stopping || !cur || cur.gen !== start.gen) return false;
        return saveJobProgress(m, JOB, this.holder, this.until(), { ...cur, ...p });
      };
      const done = await this.deadlines.recomputeOpen(start.reason, start.actorName, { from: start, onBatch, counties: start.counties ?? null });
      if (!done) continue;
      const finished = await this.writer.write(async (m) => {
        const cur = (await jobState<RecomputeState>(m, JOB))?.state;
        if (!cur || cur.gen !== start.gen) return false;
        await releaseLease(m, JOB, this.holder, this.clock.now(), { ...cur, pending: false, lastId: 0, ...done });
        return true;
      });
      if (finished) return done;
    }
  }
}
