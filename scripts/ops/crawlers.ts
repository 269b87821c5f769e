/** Running a Glue crawler and waiting for its crawl to finish. */
import { GetCrawlerCommand, StartCrawlerCommand, type Crawler } from "@aws-sdk/client-glue";
import { awsCall, errorName, OpsError, type GlueApi } from "./aws";
import { pollUntil, PollTimeout, type PollOptions } from "./poll";

export interface CrawlerTarget {
  readonly crawlerName: string;
  readonly region: string;
  readonly stackName: string;
}

export interface CrawlResult {
  readonly crawler: Crawler;
  /** True when a crawl was already running and this call waited for it instead. */
  readonly joinedRunningCrawl: boolean;
  readonly seconds: number;
}

export interface CrawlOptions extends Omit<PollOptions, "timeoutMs"> {
  readonly timeoutSeconds: number;
  readonly onState?: (crawler: Crawler) => void;
}

/**
 * Starts the crawler (or joins a crawl already running) and waits until it is
 * READY again. Throws an {@link OpsError} when the crawl failed or was
 * cancelled, or on timeout.
 */
export async function runCrawler(glue: GlueApi, target: CrawlerTarget, options: CrawlOptions): Promise<CrawlResult> {
  const context = (doing: string) => ({
    doing,
    region: target.region,
    notFound: `crawler "${target.crawlerName}" not found in region ${target.region}: deploy first (cdktf deploy ${target.stackName}) or pass --crawler`,
  });
  const now = options.now ?? Date.now;
  const requestedAt = now();
  const joinedRunningCrawl = await awsCall(context(`starting crawler ${target.crawlerName}`), async () => {
    try {
      await glue.send(new StartCrawlerCommand({ Name: target.crawlerName }));
      return false;
    } catch (error) {
      if (errorName(error) === "CrawlerRunningException") return true;
      throw error;
    }
  });

  let sawBusy = false;
  let lastState: string | undefined;
  let crawler: Crawler;
  try {
    crawler = await pollUntil(
      async () => {
        const found = await awsCall(context(`reading crawler ${target.crawlerName}`), () => glue.send(new GetCrawlerCommand({ Name: target.crawlerName })));
        const c = found.Crawler ?? {};
        if (c.State !== "READY") sawBusy = true;
        if (c.State !== lastState) {
          lastState = c.State;
          options.onState?.(c);
        }
        return c;
      },
      // READY after this request: either we saw it busy, or its last crawl started after we asked (clock skew allowed).
      (c) => c.State === "READY" && (sawBusy || (c.LastCrawl?.StartTime?.getTime() ?? 0) >= requestedAt - 300_000),
      { ...options, timeoutMs: options.timeoutSeconds * 1000 },
    );
  } catch (error) {
    if (error instanceof PollTimeout) {
      throw new OpsError(
        `crawler ${target.crawlerName} is still ${(error.last as Crawler).State} after ${options.timeoutSeconds} s; ` +
          `it keeps running: check it in the Glue console or wait longer with --timeout`,
      );
    }
    throw error;
  }

  const status = crawler.LastCrawl?.Status;
  if (status === "FAILED") {
    throw new OpsError(`crawler ${target.crawlerName} failed: ${crawler.LastCrawl?.ErrorMessage ?? "no error message"} (logs: ${crawler.LastCrawl?.LogGroup ?? "/aws-glue/crawlers"})`);
  }
  if (status === "CANCELLED") throw new OpsError(`crawler ${target.crawlerName} was cancelled before it finished`);
  return { crawler, joinedRunningCrawl, seconds: Math.round((now() - requestedAt) / 1000) };
}
