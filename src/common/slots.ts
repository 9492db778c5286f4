import { ServiceUnavailableException } from '@nestjs/common';

/**
 * A few places for long work in this process (the ledger exports' worker threads): at most `max`
 * at once, the next in line waiting up to `waitMs` for one, in the order they came. Each place
 * costs a thread, its heap and, on PostgreSQL, a connection of its own; without a limit, ten
 * supervisors exporting at once would have taken ten of each.
 */
export class Slots {
  private running = 0;
  private readonly line: { grant: () => void; timer: NodeJS.Timeout }[] = [];

  constructor(
    readonly max: number,
    readonly waitMs: number,
  ) {}

  /** Places taken now (for the tests and the bench). */
  get taken(): number {
    return this.running;
  }

  /**
   * A place, or null if none came free within the wait: the caller answers busy. `release` must
   * be called exactly once when the work ends, however it ends.
   */
  async take(): Promise<(() => void) | null> {
    if (this.running < this.max) {
      this.running++;
      return this.releaser();
    }
    if (this.waitMs <= 0) return null;
    return new Promise((resolve) => {
      const entry = {
        grant: () => {
          clearTimeout(entry.timer);
          resolve(this.releaser());
        },
        timer: setTimeout(() => {
          const i = this.line.indexOf(entry);
          if (i >= 0) this.line.splice(i, 1);
          resolve(null);
        }, this.waitMs),
      };
      this.line.push(entry);
    });
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      // the place goes straight to the next in line, if any
      const next = this.line.shift();
      if (next) next.grant();
      else this.running--;
    };
  }
}

/** 503 for a request that found every place taken (a page or the API says so in Chinese, with Retry-After). */
export class SlotsBusyException extends ServiceUnavailableException {
  readonly retryAfter: number;
  constructor(message: string, retryAfterSeconds: number) {
    super({ message, error: 'busy' });
    this.retryAfter = retryAfterSeconds;
  }
}
