import { SessionData, Store } from 'express-session';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { DbWriter } from '../database/db-writer.service';
import { SessionRow } from './entities/session.entity';

type Cb<T = void> = (err?: unknown, value?: T) => void;

/**
 * express-session store on our own table (connect-typeorm does not work with TypeORM 1).
 * Expiry is idle expiry: each request moves it forward (rolling cookie), written at most once a
 * minute per session.
 */
export class TypeOrmSessionStore extends Store {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: DbWriter,
    private readonly clock: Clock,
    private readonly idleMs: number,
  ) {
    super();
  }

  private repo() {
    return this.dataSource.getRepository(SessionRow);
  }

  /** Idle expiry on the app's clock (not the cookie's), so one clock rules every expiry. */
  private expiresAt(_session?: SessionData): Date {
    return new Date(this.clock.now().getTime() + this.idleMs);
  }

  get(sid: string, cb: Cb<SessionData | null>): void {
    this.repo()
      .findOneBy({ sid })
      .then((row) => {
        if (!row) return cb(null, null);
        if (row.expiresAt.getTime() <= this.clock.now().getTime()) {
          return this.destroy(sid, () => cb(null, null));
        }
        cb(null, JSON.parse(row.data));
      }, cb);
  }

  set(sid: string, session: SessionData, cb?: Cb): void {
    const row = { sid, data: JSON.stringify(session), userId: session.userId ?? null, expiresAt: this.expiresAt(session) };
    this.writer
      .write((m) => m.getRepository(SessionRow).upsert(row, ['sid']))
      .then(() => cb?.(), (e) => cb?.(e));
  }

  destroy(sid: string, cb?: Cb): void {
    this.writer
      .write((m) => m.getRepository(SessionRow).delete({ sid }))
      .then(() => cb?.(), (e) => cb?.(e));
  }

  touch(sid: string, session: SessionData, cb?: Cb): void {
    const expiresAt = this.expiresAt(session);
    const minute = new Date(expiresAt.getTime() - 60_000);
    this.writer
      .write((m) =>
        m
          .createQueryBuilder()
          .update(SessionRow)
          .set({ expiresAt })
          .where('sid = :sid AND expiresAt < :minute', { sid, minute })
          .execute(),
      )
      .then(() => cb?.(), (e) => cb?.(e));
  }
}
