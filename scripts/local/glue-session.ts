/**
 * One Python process with one SparkSession for a whole local run
 * (`glue_local/job_server.py`): each job's rendered entry script runs in it as
 * `__main__`, so a run of four jobs starts the JVM once instead of four times.
 *
 * ```ts
 * const session = LocalGlueSession.start({ python, repoRoot, env });
 * const exitCode = await session.runJob({ script, args, extraPyFiles: [libraryZip], onStdout: console.log, onStderr: console.error });
 * await session.close();
 * ```
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { AwsCredentials } from "./aws/moto";

/** The line the server prints on stdout and on stderr after each job (glue_local/job_server.py). */
const END_MARKER = "@@lakehouse-job-end ";
/** Lines kept from the server's output outside any job (its start-up), for the message when it dies. */
const TAIL_LINES = 40;

export interface GlueSessionOptions {
  /** Python with pyspark. */
  readonly python: string;
  /** The repository root (where `glue_local/` is). */
  readonly repoRoot: string;
  /** Environment of the server process (PYTHONPATH, PYSPARK_SUBMIT_ARGS, ...). */
  readonly env: NodeJS.ProcessEnv;
  /** With a loopback S3 endpoint, `s3://` goes through S3A there. @default - local paths only */
  readonly s3?: { readonly endpoint: string; readonly region: string };
  /** Load Iceberg (its runtime from Maven, a catalog per job's lake), for configs with Iceberg tables. @default false */
  readonly iceberg?: boolean;
}

export interface GlueSessionJob {
  /** The rendered entry script. */
  readonly script: string;
  /** Its arguments, as Glue passes them (`--JOB_NAME`, `--JOB_RUN_ID`, `--lake_root`, ...). */
  readonly args: readonly string[];
  /** What Glue's `--extra-py-files` names (the library zip): on `sys.path` while the job runs. */
  readonly extraPyFiles: readonly string[];
  /** The job role's credentials for an S3 run. */
  readonly credentials?: AwsCredentials;
  /** The local SQLite file of an `s3://` lake's Iceberg catalog. @default - the lake folder's own */
  readonly icebergCatalogFile?: string;
  readonly onStdout: (line: string) => void;
  readonly onStderr: (line: string) => void;
}

interface RunningJob {
  readonly job: GlueSessionJob;
  readonly done: (exitCode: number) => void;
  /** The exit code from the first marker; the job ends when both streams have shown theirs. */
  exitCode?: number;
  markers: number;
}

export class LocalGlueSession {
  private queue: Promise<unknown> = Promise.resolve();
  private current?: RunningJob;
  /** Why the server is gone, once it is. */
  private ended?: { exitCode: number; reason: string };
  private readonly tail: string[] = [];

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    /** Whether the session loaded Iceberg (`GlueSessionOptions.iceberg`). */
    readonly iceberg: boolean,
  ) {
    createInterface({ input: child.stdout }).on("line", (line) => this.onLine(line, "stdout"));
    createInterface({ input: child.stderr }).on("line", (line) => this.onLine(line, "stderr"));
    child.stdin.on("error", () => undefined); // a dead server is reported by "close" below
    child.on("error", (error) => this.end(1, `the local Spark session could not run: ${error.message}`));
    // "close" fires once both output streams are drained, so a crash's last lines are read first.
    child.on("close", (code, signal) => this.end(code ?? 1, `the local Spark session ended (${signal ? `signal ${signal}` : `exit code ${code}`})`));
  }

  /** Starts the server; Spark starts in it right away, before the first job. */
  static start(options: GlueSessionOptions): LocalGlueSession {
    const args = [join(options.repoRoot, "glue_local", "job_server.py")];
    if (options.s3) args.push("--s3-endpoint", options.s3.endpoint, "--region", options.s3.region);
    if (options.iceberg) args.push("--iceberg");
    const child = spawn(options.python, args, { env: options.env, stdio: ["pipe", "pipe", "pipe"] });
    return new LocalGlueSession(child, options.iceberg ?? false);
  }

  /** Runs one job in the session (jobs run one at a time, in call order); resolves to its exit code. */
  runJob(job: GlueSessionJob): Promise<number> {
    const run = this.queue.then(
      () =>
        new Promise<number>((done) => {
          if (this.ended) {
            for (const line of [...this.tail, this.ended.reason]) job.onStderr(line);
            return done(this.ended.exitCode || 1);
          }
          this.current = { job, done, markers: 0 };
          const { credentials } = job;
          const request = {
            script: job.script,
            args: job.args,
            extra_py_files: job.extraPyFiles,
            credentials: credentials
              ? { access_key_id: credentials.accessKeyId, secret_access_key: credentials.secretAccessKey, session_token: credentials.sessionToken ?? null }
              : null,
            iceberg_catalog_file: job.icebergCatalogFile ?? null,
          };
          this.child.stdin.write(`${JSON.stringify(request)}\n`);
        }),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Ends the server after the jobs already asked for. */
  async close(): Promise<void> {
    await this.queue;
    if (this.ended) return;
    const closed = new Promise<void>((done) => this.child.once("close", () => done()));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 30_000);
    await closed;
    clearTimeout(timer);
  }

  private onLine(line: string, stream: "stdout" | "stderr"): void {
    const running = this.current;
    if (line.startsWith(END_MARKER) && running) {
      running.exitCode ??= (JSON.parse(line.slice(END_MARKER.length)) as { exit_code: number }).exit_code;
      if (++running.markers === 2) {
        this.current = undefined;
        running.done(running.exitCode);
      }
      return;
    }
    if (!line.trim()) return; // the markers stand on lines of their own; the blank line before them is not output
    if (!running) {
      this.tail.push(line);
      if (this.tail.length > TAIL_LINES) this.tail.shift();
      return;
    }
    (stream === "stdout" ? running.job.onStdout : running.job.onStderr)(line);
  }

  private end(exitCode: number, reason: string): void {
    if (this.ended) return;
    this.ended = { exitCode, reason };
    const running = this.current;
    this.current = undefined;
    if (running) {
      for (const line of [...this.tail, reason]) running.job.onStderr(line);
      running.done(exitCode || 1);
    }
  }
}
