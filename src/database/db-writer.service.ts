import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'async_hooks';
import { DataSource, EntityManager } from 'typeorm';

/**
 * Serialises write transactions. TypeORM's SQLite driver shares one connection, and two
 * transactions opened on it at once fail ("cannot start a transaction within a transaction",
 * STACK.md pitfall 5). Every write in the app goes through `write()`, which queues it behind
 * the one before, so concurrent requests wait a few milliseconds instead of failing.
 */
@Injectable()
export class DbWriter {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private readonly current = new AsyncLocalStorage<EntityManager>();

  constructor(private readonly dataSource: DataSource) {}

  write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    // A write started inside another write joins it (waiting for it would never end).
    const outer = this.current.getStore();
    if (outer) return work(outer);
    this.pending++;
    const start = () => this.dataSource.transaction((m) => this.current.run(m, () => work(m)));
    const run = this.tail.then(start, start);
    // The queue moves on whether this job succeeded or failed; the caller still sees the error.
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run.finally(() => {
      this.pending--;
    });
  }

  /** Writes waiting or running now (for health and benchmarks). */
  get queued(): number {
    return this.pending;
  }
}
