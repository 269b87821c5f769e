/**
 * One Python process with one SparkSession for a whole local run
 * (`glue_local/job_server.py`): each job's rendered entry script runs in it as
 * `__main__`, so a run of four jobs starts the JVM once instead of four times.
 *
 * ```ts
 * const session = LocalGlueSession.start({ env });
 * const exitCode = await session.runJob({ script, args, onStdout: console.log, onStderr: console.error });
 * await session.close();
 * ```
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { AwsCredentials } from "./aws/moto";

/** The line the server prints after each job (glue_local/job_server.py). */
const END_MARKER = "@@lakehouse-job-end ";

export interface GlueSessionOptions {
  /** Python with pyspark. */
  readonly python: string;
  /** The repository root (where `glue_local/` is). */
  readonly repoRoot: string;
  /** Environment of the server process (PYTHONPATH, PYSPARK_SUBMIT_ARGS, ...). */
  readonly env: NodeJS.ProcessEnv;
  /** With a loopback S3 endpoint, `s3://` goes through S3A there. @default - local paths only */
  readonly s3?: { readonly endpoint: string; readonly region: string };
}

export interface GlueSessionJob {
  /** The rendered entry script. */
  readonly script: string;
  /** Its arguments, as Glue passes them (`--JOB_NAME`, `--JOB_RUN_ID`, `--lake_root`, ...). */
  readonly args: readonly string[];
  /** The job role's credentials for an S3 run. */
  readonly credentials?: AwsCredentials;
  readonly onStdout: (line: string) => void;
  readonly onStderr: (line: string) => void;
}

export class LocalGlueSession {
  private queue: Promise<unknown> = Promise.resolve();
  private current?: { job: GlueSessionJob; done: (exitCode: number) => void };
  private exited?: number;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (line.startsWith(END_MARKER)) {
        const { exit_code: exitCode } = JSON.parse(line.slice(END_MARKER.length)) as { exit_code: number };
        const finished = this.current;
        this.current = undefined;
        finished?.done(exitCode);
      } else {
        this.current?.job.onStdout(line);
      }
    });
    createInterface({ input: child.stderr }).on("line", (line) => this.current?.job.onStderr(line));
    child.on("exit", (code) => {
      this.exited = code ?? 1;
      this.current?.job.onStderr(`the local Spark session ended (exit code ${this.exited})`);
      this.current?.done(this.exited || 1);
      this.current = undefined;
    });
  }

  /** Starts the server; Spark itself starts with the first job's request. */
  static start(options: GlueSessionOptions): LocalGlueSession {
    const args = [join(options.repoRoot, "glue_local", "job_server.py")];
    if (options.s3) args.push("--s3-endpoint", options.s3.endpoint, "--region", options.s3.region);
    const child = spawn(options.python, args, { env: options.env, stdio: ["pipe", "pipe", "pipe"] });
    return new LocalGlueSession(child);
  }

  /** Runs one job in the session (jobs run one at a time, in call order); resolves to its exit code. */
  runJob(job: GlueSessionJob): Promise<number> {
    const run = this.queue.then(
      () =>
        new Promise<number>((done) => {
          if (this.exited !== undefined) {
            job.onStderr(`the local Spark session has ended (exit code ${this.exited})`);
            return done(this.exited || 1);
          }
          this.current = { job, done };
          const { credentials } = job;
          const request = {
            script: job.script,
            args: job.args,
            credentials: credentials
              ? { access_key_id: credentials.accessKeyId, secret_access_key: credentials.secretAccessKey, session_token: credentials.sessionToken ?? null }
              : null,
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
    if (this.exited !== undefined) return;
    const exited = new Promise<void>((done) => this.child.once("exit", () => done()));
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 30_000);
    await exited;
    clearTimeout(timer);
  }
}
