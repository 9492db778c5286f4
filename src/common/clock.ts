import { Injectable } from '@nestjs/common';

/**
 * Injected wherever "now" matters, so rules can be tested with a fixed time. The one source of
 * "now" for the application: services take it from here, never from `new Date()`.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}

/**
 * A clock that starts at a chosen instant and then runs at the speed of the process's monotonic
 * clock, whatever the wall clock says (CLOCK_START, outside production only). The test suite and
 * its demo template run on it, so they see the same days on any date the machine has, even
 * under libfaketime.
 */
export class StartedClock extends Clock {
  private readonly startedNs = process.hrtime.bigint();
  constructor(private readonly start: Date) {
    super();
  }
  now(): Date {
    const elapsedMs = Number((process.hrtime.bigint() - this.startedNs) / 1_000_000n);
    return new Date(this.start.getTime() + elapsedMs);
  }
}

/** A clock that stands still until a test moves it. */
export class FixedClock extends Clock {
  constructor(private current: Date) {
    super();
  }
  now(): Date {
    return new Date(this.current.getTime());
  }
  set(date: Date): void {
    this.current = date;
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export function clockFrom(start: Date | null): Clock {
  return start ? new StartedClock(start) : new Clock();
}
