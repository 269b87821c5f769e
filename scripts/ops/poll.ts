/** Polling with exponential backoff and an overall deadline. */

export interface PollOptions {
  /** Give up after this long. */
  readonly timeoutMs: number;
  /** First wait between two checks. @default 2000 */
  readonly initialDelayMs?: number;
  /** Longest wait between two checks. @default 30000 */
  readonly maxDelayMs?: number;
  /** Growth of the wait after each check. @default 1.6 */
  readonly factor?: number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Date.now */
  readonly now?: () => number;
}

/** Thrown when the deadline passes; carries the last value seen. */
export class PollTimeout<T> extends Error {
  constructor(
    readonly last: T,
    readonly waitedMs: number,
  ) {
    super(`still not done after ${Math.round(waitedMs / 1000)} s`);
    this.name = "PollTimeout";
  }
}

/**
 * Calls `check` at once, then after waits of `initialDelayMs`, x`factor`, ...
 * (capped at `maxDelayMs`, and never past the deadline) until `isDone` says
 * so; returns that value. Throws {@link PollTimeout} with the last value.
 */
export async function pollUntil<T>(check: () => Promise<T>, isDone: (value: T) => boolean, options: PollOptions): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const started = now();
  const deadline = started + options.timeoutMs;
  let delay = options.initialDelayMs ?? 2_000;
  for (;;) {
    const value = await check();
    if (isDone(value)) return value;
    const remaining = deadline - now();
    if (remaining <= 0) throw new PollTimeout(value, now() - started);
    await sleep(Math.min(delay, remaining));
    delay = Math.min(delay * (options.factor ?? 1.6), options.maxDelayMs ?? 30_000);
  }
}
