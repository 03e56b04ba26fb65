// Time as a port: every timer in PayHook goes through a Clock so that the same code runs live
// (system clock) and in replay or tests (virtual clock advanced by hand, no waiting).

export interface TimerHandle {
  readonly id: number;
}

export interface Clock {
  /** Milliseconds on this clock's timeline (monotonic for the system clock). */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
}

class SystemTimer implements TimerHandle {
  constructor(
    readonly id: number,
    readonly inner: NodeJS.Timeout,
  ) {}
}

let nextSystemId = 1;

/** Real time: performance.now() and Node timers. */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, Math.max(0, ms));
    return new SystemTimer(nextSystemId++, t);
  },
  clearTimeout(handle) {
    if (handle instanceof SystemTimer) clearTimeout(handle.inner);
  },
};

interface VirtualTimer extends TimerHandle {
  at: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * A clock that only moves when told to. Timers fire in (time, creation) order, so runs are
 * deterministic; a timer set for the past fires at the next advance.
 */
export class VirtualClock implements Clock {
  #now: number;
  #nextId = 1;
  #timers: VirtualTimer[] = [];

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: VirtualTimer = { id: this.#nextId++, at: this.#now + Math.max(0, ms), fn, cancelled: false };
    // Keep sorted by (at, id): insertion after every timer due at or before `at`.
    let i = this.#timers.length;
    while (i > 0 && this.#timers[i - 1]!.at > timer.at) i--;
    this.#timers.splice(i, 0, timer);
    return timer;
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (!handle) return;
    const timer = handle as VirtualTimer;
    timer.cancelled = true;
    const i = this.#timers.indexOf(timer);
    if (i >= 0) this.#timers.splice(i, 1);
  }

  /** Time of the next pending timer, or undefined when none is pending. */
  nextTimerAt(): number | undefined {
    return this.#timers[0]?.at;
  }

  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, in order. */
  advance(ms: number): void {
    this.advanceTo(this.#now + ms);
  }

  advanceTo(target: number): void {
    for (;;) {
      const next = this.#timers[0];
      if (!next || next.at > target) break;
      this.#timers.shift();
      this.#now = Math.max(this.#now, next.at);
      next.fn();
    }
    this.#now = Math.max(this.#now, target);
  }
}
