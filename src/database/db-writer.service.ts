import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { AsyncLocalStorage } from 'async_hooks';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { isPostgres } from './engine';
import { rawDb } from './raw';
import { closeNumbering } from './sequences';

interface Job {
  work: (m: EntityManager) => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/** Most jobs committed together in one transaction. */
const MAX_GROUP = 64;

/**
 * Serialises write transactions, and commits the writes that queue up meanwhile together.
 *
 * TypeORM's SQLite driver shares one connection, and two transactions opened on it at once fail
 * ("cannot start a transaction within a transaction", STACK.md pitfall 5). Every write in the
 * app goes through `write()`: jobs wait in a queue and run one after the other.
 *
 * Group commit: when several jobs are waiting, they run in one transaction, each inside its own
 * savepoint, so a job that fails is rolled back alone and reports its own error. Each job's
 * caller hears of success only after the shared COMMIT has reached the disk (synchronous=FULL),
 * so nothing acknowledged can be lost; the fsync is paid once for the group, not once per job.
 *
 * On PostgreSQL there is no shared connection and no group: each write takes a connection of the
 * pool and runs in its own transaction, committed before its caller hears of success
 * (synchronous_commit on, the server's default). A write that loses a deadlock or a serialisation
 * conflict to another instance is run again, up to three times.
 */
@Injectable()
export class DbWriter implements OnApplicationShutdown {
  private readonly queue: Job[] = [];
  private running = false;
  private readonly current = new AsyncLocalStorage<EntityManager>();

  constructor(private readonly dataSource: DataSource) {
    if (isPostgres) this.shareWriteConnection();
  }

  /** The numbering connections (sequences.ts) close with the app. */
  async onApplicationShutdown(): Promise<void> {
    if (isPostgres) await closeNumbering();
  }

  /**
   * On SQLite everything runs on one connection, so a read made inside a write (through the
   * DataSource, not the write's manager) sees what the write has done so far; Duban's services
   * rely on that. On PostgreSQL such a read would take another connection of the pool and see
   * the database without the write. So inside a write, the DataSource hands out the write's own
   * connection (its release does nothing; the write ends it): the same reads, on either engine.
   */
  private shareWriteConnection(): void {
    const ds = this.dataSource as DataSource & { __dubanShared?: boolean };
    if (ds.__dubanShared) return;
    ds.__dubanShared = true;
    const original = ds.createQueryRunner.bind(ds);
    ds.createQueryRunner = ((mode?: 'master' | 'slave') => {
      const qr = this.current.getStore()?.queryRunner;
      if (!qr || qr.isReleased) return original(mode);
      return new Proxy(qr, {
        get: (target, prop, receiver) => (prop === 'release' ? async () => undefined : Reflect.get(target, prop, receiver)),
      });
    }) as DataSource['createQueryRunner'];
  }

  private inFlight = 0;

  write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    // A write started inside another write joins it (waiting for it would never end).
    const outer = this.current.getStore();
    if (outer) return work(outer);
    if (isPostgres) return this.writePostgres(work);
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      if (!this.running) this.scheduleDrain();
    });
  }

  /**
   * A write that no other instance runs at the same time under the same name: for check-then-act
   * work at start-up (seeding reference data into an empty database), where several instances
   * starting together would otherwise all find it empty. On SQLite every write already holds the
   * database's write lock (BEGIN IMMEDIATE) from its start; on PostgreSQL a transaction-scoped
   * advisory lock is taken first, so the check inside sees what an earlier holder committed.
   */
  exclusive<T>(name: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.write(async (m) => {
      if (isPostgres) await m.query('SELECT pg_advisory_xact_lock(?)', [lockKey(name)]);
      return work(m);
    });
  }

  /**
   * A write committed on its own even when started inside another write (the session store: a
   * response sent from inside a write must not depend on that write's commit). On PostgreSQL it
   * runs in a transaction of its own, committed before it resolves, so the next request, on any
   * connection or instance, sees it. On SQLite it joins the outer write as `write` does: one
   * connection, so the next request sees it anyway, and waiting for the outer write would never end.
   */
  writeOwn<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!isPostgres || !this.current.getStore()) return this.write(work);
    return this.current.exit(() => this.writePostgres(work));
  }

  /** Writes waiting now (for health and benchmarks). */
  get queued(): number {
    return isPostgres ? this.inFlight : this.queue.length;
  }

  private async writePostgres<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.dataSource.transaction((m) => this.current.run(m, () => work(m)));
        } catch (e) {
          const code = (e as { code?: string; driverError?: { code?: string } }).driverError?.code ?? (e as { code?: string }).code;
          if (attempt >= 3 || (code !== '40001' && code !== '40P01')) throw e;
        }
      }
    } finally {
      this.inFlight--;
    }
  }

  /**
   * The first write of an idle writer starts the group on the next turn of the event loop, not at
   * once: better-sqlite3 answers synchronously, so a group started at once would run to its COMMIT
   * before the requests already waiting on their sockets were read, and every group would be of
   * one write (one fsync per case). After the turn's I/O, the writes those requests queued meanwhile
   * join the group.
   */
  private scheduleDrain(): void {
    this.running = true;
    setImmediate(() => void this.drain());
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length) {
        const group = this.queue.splice(0, MAX_GROUP);
        await this.runGroup(group);
      }
    } finally {
      this.running = false;
    }
  }

  private async runGroup(group: Job[]): Promise<void> {
    const qr = this.dataSource.createQueryRunner();
    const db = rawDb(qr.manager);
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      beginImmediate(qr, db);
      for (const job of group) {
        if (group.length === 1) {
          try {
            outcomes.push({ ok: true, value: await this.current.run(qr.manager, () => job.work(qr.manager)) });
          } catch (e) {
            outcomes.push({ ok: false, value: e });
          }
          continue;
        }
        // depth > 0: TypeORM turns these into SAVEPOINT / RELEASE / ROLLBACK TO
        await qr.startTransaction();
        try {
          const value = await this.current.run(qr.manager, () => job.work(qr.manager));
          await qr.commitTransaction();
          outcomes.push({ ok: true, value });
        } catch (e) {
          if (!db.inTransaction) throw new GroupLostError(e);
          await qr.rollbackTransaction();
          outcomes.push({ ok: false, value: e });
        }
        // SQLite may abandon the whole transaction on its own (I/O error, out of memory, a
        // RAISE(ROLLBACK)): then nothing of the group is kept, and everyone must hear so.
        if (!db.inTransaction) throw new GroupLostError(outcomes[outcomes.length - 1].value);
      }
      if (group.length === 1 && !outcomes[0].ok) {
        if (db.inTransaction) await qr.rollbackTransaction();
        else resetTransactionState(qr);
      } else {
        if (!db.inTransaction) throw new GroupLostError(outcomes.find((o) => !o.ok)?.value);
        await qr.commitTransaction();
      }
      if (db.inTransaction) {
        // Never acknowledge while a transaction is still open on the shared connection.
        db.exec('ROLLBACK');
        throw new Error('write transaction was left open after COMMIT');
      }
    } catch (e) {
      // The shared transaction failed: nothing of the group was kept, and every caller is told so.
      const cause = e instanceof GroupLostError ? e.cause ?? e : e;
      if (db.inTransaction) db.exec('ROLLBACK');
      resetTransactionState(qr);
      for (const job of group) job.reject(cause);
      return;
    }
    group.forEach((job, i) => (outcomes[i].ok ? job.resolve(outcomes[i].value) : job.reject(outcomes[i].value)));
  }
}

/** A stable 32-bit number for an advisory lock's name. */
function lockKey(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h | 0;
}

class GroupLostError extends Error {
  constructor(public readonly cause: unknown) {
    super('the write transaction was rolled back as a whole');
  }
}

/**
 * BEGIN IMMEDIATE instead of TypeORM's deferred BEGIN: the write lock is taken at the start (waiting
 * up to busy_timeout for another instance), so a transaction that reads before it writes cannot
 * fail with "database is locked" when another process wrote in between. TypeORM's state is set
 * as its own startTransaction() would, so its savepoints and COMMIT follow on.
 */
function beginImmediate(qr: QueryRunner, db: ReturnType<typeof rawDb>): void {
  db.exec('BEGIN IMMEDIATE');
  const state = qr as unknown as { isTransactionActive: boolean; transactionDepth: number };
  state.isTransactionActive = true;
  state.transactionDepth = 1;
}

/** TypeORM's own idea of the transaction, brought back in line with SQLite's after a failure. */
function resetTransactionState(qr: QueryRunner): void {
  const state = qr as unknown as { isTransactionActive: boolean; transactionDepth: number };
  state.isTransactionActive = false;
  state.transactionDepth = 0;
}
