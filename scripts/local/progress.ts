import { performance } from "node:perf_hooks";

/** Where long local runs report what they are doing. */
export interface Progress {
  /** Starts a named step; returns a function that ends it with a one-line result. */
  step(name: string): (result?: string) => void;
  /** A detail line under the current step. */
  detail(line: string): void;
}

/** Progress as timestamped lines on stderr, so stdout stays clean for results. */
export function consoleProgress(write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Progress {
  return {
    step(name) {
      const started = performance.now();
      write(`▶ ${name}`);
      return (result) => write(`✔ ${name}${result ? `: ${result}` : ""} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    },
    detail(line) {
      write(`  ${line}`);
    },
  };
}

/** No output; for tests and embedding. */
export const silentProgress: Progress = { step: () => () => undefined, detail: () => undefined };
