/**
 * One pacer for every ChurchTools call. ChurchTools allows about 600 requests per minute per
 * IP (shared by everyone behind the same NAT) and answers 429 beyond that, often without
 * Retry-After (reference ct-extension §0.10). So: a token bucket well below the limit, a small
 * number of requests in flight, and a shared pause that every queued request honours once any
 * request was rate-limited.
 */

export interface PacerOptions {
  /** Sustained request starts per minute. Default 300: half of ChurchTools' limit, leaving room for the user's own tabs. */
  readonly requestsPerMinute?: number;
  /** Requests that may start back to back before pacing sets in. Default 5. */
  readonly burst?: number;
  /** Requests in flight at once. Default 3. */
  readonly concurrency?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export const defaultSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

export class Pacer {
  readonly requestsPerMinute: number;
  readonly burst: number;
  readonly concurrency: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private tokens: number;
  private lastRefill: number;
  private pausedUntil = 0;
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  /** Token acquisition is serialised so requests start in arrival order. */
  private tokenChain: Promise<void> = Promise.resolve();

  constructor(options: PacerOptions = {}) {
    this.requestsPerMinute = Math.max(1, options.requestsPerMinute ?? 300);
    this.burst = Math.max(1, options.burst ?? 5);
    this.concurrency = Math.max(1, options.concurrency ?? 3);
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
    this.tokens = this.burst;
    this.lastRefill = this.now();
  }

  /** Runs `task` once a slot and a token are free. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquireSlot();
    try {
      await this.acquireToken();
      return await task();
    } finally {
      this.releaseSlot();
    }
  }

  /** Holds back every request that has not started yet for `ms` (after a 429). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }

  private acquireSlot(): Promise<void> {
    if (this.active < this.concurrency) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.waiting.push(() => {
        this.active++;
        resolve();
      });
    });
  }

  private releaseSlot(): void {
    this.active--;
    const next = this.waiting.shift();
    if (next) next();
  }

  private acquireToken(): Promise<void> {
    const turn = this.tokenChain.then(() => this.waitForToken());
    // A failure here cannot happen (sleep only resolves), but keep the chain alive regardless.
    this.tokenChain = turn.catch(() => undefined);
    return turn;
  }

  private async waitForToken(): Promise<void> {
    for (;;) {
      const now = this.now();
      if (now < this.pausedUntil) {
        await this.sleep(this.pausedUntil - now);
        continue;
      }
      this.refill(now);
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      const msPerToken = 60_000 / this.requestsPerMinute;
      await this.sleep(Math.max(1, Math.ceil((1 - this.tokens) * msPerToken)));
    }
  }

  private refill(now: number): void {
    const elapsed = now - this.lastRefill;
    if (elapsed <= 0) return;
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.requestsPerMinute) / 60_000);
    this.lastRefill = now;
  }
}
