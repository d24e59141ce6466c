/**
 * One pacer for every ChurchTools call. ChurchTools allows about 600 requests per minute per
 * IP (shared by everyone behind the same NAT) and answers 429 beyond that, often without
 * Retry-After (reference ct-extension §0.10). So: a token bucket well below the limit, a small
 * number of requests in flight, and a shared pause that every queued request honours once any
 * request was rate-limited.
 */

/**
 * ChurchTools' documented limit: about 600 requests per minute per IP (reference ct-extension
 * §0.10, said by ChurchTools staff in their forum [C]). Every place where an admin or operator
 * sets a pace (CLI, environment, nightly config, extension setting) caps it here with
 * `clampPace`; the Pacer itself takes any pace so that tests can drive the stand-in faster.
 */
export const CHURCHTOOLS_MAX_REQUESTS_PER_MINUTE = 600;
export const DEFAULT_REQUESTS_PER_MINUTE = 300;
/** After 429s the pace never drops below this share of the configured pace. */
const MIN_SHARE = 1 / 8;
/** Without a 429 for this long, the pace climbs back by a tenth of the configured pace. */
const RECOVERY_STEP_MS = 30_000;

/** A pace an admin or operator configured, capped at ChurchTools' limit; undefined and nonsense give the default. */
export function clampPace(requestsPerMinute: number | undefined): number {
  if (requestsPerMinute === undefined || !Number.isFinite(requestsPerMinute) || requestsPerMinute < 1) return DEFAULT_REQUESTS_PER_MINUTE;
  return Math.min(CHURCHTOOLS_MAX_REQUESTS_PER_MINUTE, Math.floor(requestsPerMinute));
}

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
  private configured: number;
  private current: number;
  private lastRateLimit = Number.NEGATIVE_INFINITY;
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
    this.configured = Math.max(1, options.requestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE);
    this.current = this.configured;
    this.burst = Math.max(1, options.burst ?? 5);
    this.concurrency = Math.max(1, options.concurrency ?? 3);
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
    this.tokens = this.burst;
    this.lastRefill = this.now();
  }

  /** The configured pace; `currentRequestsPerMinute` is lower for a while after a 429. */
  get requestsPerMinute(): number {
    return this.configured;
  }

  /**
   * A new configured pace, from the next request on (the extension's setting changes while the
   * tab keeps its one pacer). A slowdown after a 429 stays in force, capped by the new pace.
   */
  setRequestsPerMinute(requestsPerMinute: number): void {
    const slowed = this.current < this.configured;
    this.configured = Math.max(1, requestsPerMinute);
    this.current = slowed ? Math.min(this.current, this.configured) : this.configured;
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

  /** Holds back every request that has not started yet for `ms`. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }

  /**
   * ChurchTools answered 429: pause as long as it asked (or the caller's default), then go on at
   * half the pace, climbing back step by step while no further 429 comes. The limit is per IP
   * and shared with everyone behind the same NAT, so the pace that fits changes during a run.
   */
  rateLimited(waitMs: number): void {
    const now = this.now();
    this.pause(waitMs);
    // Requests in flight during one overrun all come back 429: slow down once per pause.
    if (now < this.lastRateLimit) return;
    this.current = Math.max(Math.ceil(this.requestsPerMinute * MIN_SHARE), Math.floor(this.currentRequestsPerMinute / 2));
    this.lastRateLimit = now + waitMs;
  }

  get currentRequestsPerMinute(): number {
    if (this.current >= this.configured) return this.configured;
    const steps = Math.floor((this.now() - this.lastRateLimit) / RECOVERY_STEP_MS);
    if (steps > 0) {
      this.current = Math.min(this.requestsPerMinute, this.current + steps * Math.max(1, Math.ceil(this.requestsPerMinute / 10)));
      this.lastRateLimit += steps * RECOVERY_STEP_MS;
    }
    return this.current;
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
      const msPerToken = 60_000 / this.currentRequestsPerMinute;
      await this.sleep(Math.max(1, Math.ceil((1 - this.tokens) * msPerToken)));
    }
  }

  private refill(now: number): void {
    const elapsed = now - this.lastRefill;
    if (elapsed <= 0) return;
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.currentRequestsPerMinute) / 60_000);
    this.lastRefill = now;
  }
}
