import { SessionData, Store } from 'express-session';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { DbWriter } from '../database/db-writer.service';
import { slideSession } from './auth.repository';
import { SessionRow } from './entities/session.entity';

type Cb<T = void> = (err?: unknown, value?: T) => void;

/**
 * express-session store on our own table (connect-typeorm does not work with TypeORM 1).
 * Two expiries, both on the app's clock: idle (each request moves it forward, written at most
 * once a minute per session) and absolute, from sign-in, whatever the activity (ASVS 4.0.3
 * V3.3.2). A signed-in session without a sign-in time (one from before the absolute lifetime)
 * counts as expired.
 */
export class TypeOrmSessionStore extends Store {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: DbWriter,
    private readonly clock: Clock,
    private readonly idleMs: number,
    private readonly absoluteMs: number,
  ) {
    super();
  }

  private pastAbsolute(session: SessionData): boolean {
    if (!session.userId) return false;
    return !session.signedInAt || this.clock.now().getTime() >= session.signedInAt + this.absoluteMs;
  }

  private repo() {
    return this.dataSource.getRepository(SessionRow);
  }

  /** Idle expiry on the app's clock (not the cookie's), never past the absolute one. */
  private expiresAt(session?: SessionData): Date {
    const idle = this.clock.now().getTime() + this.idleMs;
    return new Date(session?.userId && session.signedInAt ? Math.min(idle, session.signedInAt + this.absoluteMs) : idle);
  }

  get(sid: string, cb: Cb<SessionData | null>): void {
    this.repo()
      .findOneBy({ sid })
      .then((row) => {
        if (!row) return cb(null, null);
        const data = JSON.parse(row.data) as SessionData;
        if (row.expiresAt.getTime() <= this.clock.now().getTime() || this.pastAbsolute(data)) {
          return this.destroy(sid, () => cb(null, null));
        }
        cb(null, data);
      }, cb);
  }

  set(sid: string, session: SessionData, cb?: Cb): void {
    const row = { sid, data: JSON.stringify(session), userId: session.userId ?? null, expiresAt: this.expiresAt(session) };
    this.writer
      .writeOwn((m) => m.getRepository(SessionRow).upsert(row, ['sid']))
      .then(() => cb?.(), (e) => cb?.(e));
  }

  destroy(sid: string, cb?: Cb): void {
    this.writer
      .writeOwn((m) => m.getRepository(SessionRow).delete({ sid }))
      .then(() => cb?.(), (e) => cb?.(e));
  }

  touch(sid: string, session: SessionData, cb?: Cb): void {
    const expiresAt = this.expiresAt(session);
    // written at most once a minute per session (a quarter of the idle time when that is shorter)
    const minute = new Date(expiresAt.getTime() - Math.min(60_000, this.idleMs / 4));
    this.writer
      .writeOwn((m) => slideSession(m, sid, expiresAt, minute))
      .then(() => cb?.(), (e) => cb?.(e));
  }
}
