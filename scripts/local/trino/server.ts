/**
 * A throwaway single-node Trino server on a free loopback port, sized for a
 * small machine: a generated `etc/` (node, JVM, server and catalog settings)
 * in a work folder, `bin/launcher run` from the installed server with the
 * Java >= 24 that {@link requireTrinoInstall} finds (set for the child only),
 * ready once it answers a query, and stopped by killing its process group.
 *
 * ```ts
 * const server = await startTrinoServer({ catalogs: [hiveCatalog("awsdatacatalog", "/path/to/root")] });
 * try { ... fetch(`${server.endpoint}/v1/statement`) ... } finally { await server.stop(); }
 * ```
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { TrinoClient } from "./client";
import { requireTrinoInstall, type TrinoInstall } from "./install";

/** One catalog: `etc/catalog/<name>.properties`. */
export interface TrinoCatalog {
  /** Catalog name, lower case (what `X-Trino-Catalog` names). */
  readonly name: string;
  readonly properties: Readonly<Record<string, string>>;
}

export interface TrinoServerOptions {
  /** The catalogs the server starts with. */
  readonly catalogs: readonly TrinoCatalog[];
  /** Folder for `etc/`, the node data dir and the log; removed on stop when this module created it. @default - a new temp folder */
  readonly workDir?: string;
  /** JVM heap (`-Xmx`). @default "2G" */
  readonly maxHeap?: string;
  /** @default - {@link requireTrinoInstall}() */
  readonly install?: TrinoInstall;
  /** How long to wait for the first answer. @default 180000 */
  readonly startTimeoutMs?: number;
}

/** A running server. */
export interface TrinoServer {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** The launcher's process id (the leader of the server's process group). */
  readonly pid: number;
  /** Everything the server printed: `<workDir>/server.log` (removed on stop with a temp work folder). */
  readonly logPath: string;
  /** Milliseconds from spawning the launcher to the first answered query. */
  readonly startupMs: number;
  /** Kills the server's process tree (SIGTERM, SIGKILL after a grace period) and removes a temp work folder. Idempotent. */
  stop(): Promise<void>;
}

/**
 * An Iceberg catalog whose metastore is a folder (`<metastoreDir>`), for tables
 * registered over metadata files the local jobs wrote (`system.register_table`).
 * Those files name their data by absolute `file:` URIs, so the local file
 * system's root is `/`; Trino only reads them.
 */
export function icebergCatalog(name: string, metastoreDir: string): TrinoCatalog {
  return {
    name,
    properties: {
      "connector.name": "iceberg",
      // Trino's Iceberg connector has no Hadoop or JDBC-on-SQLite catalog; a file metastore plus
      // register_table reads exactly the metadata file the local catalog points at.
      "iceberg.catalog.type": "testing_file_metastore",
      "hive.metastore.catalog.dir": `local://${metastoreDir}`,
      "fs.native-local.enabled": "true",
      "local.location": "/",
      "iceberg.register-table-procedure.enabled": "true",
    },
  };
}

/**
 * A Hive catalog over a plain local folder, with a file metastore inside it
 * (`<localLocation>/metastore`). Table locations are `local:///<path under localLocation>`.
 * Parquet timestamps (Spark's INT96 and TIMESTAMP_MICROS alike) are read as UTC,
 * the lake's time zone, as Athena reads them.
 */
export function hiveCatalog(name: string, localLocation: string): TrinoCatalog {
  return {
    name,
    properties: {
      "connector.name": "hive",
      "hive.metastore": "file",
      "hive.metastore.catalog.dir": "local:///metastore",
      "fs.native-local.enabled": "true",
      "local.location": localLocation,
      // Spark writes instants normalized to UTC; Trino's default would be the JVM's zone.
      "hive.parquet.time-zone": "UTC",
      // What Athena does for Glue `timestamp` columns: millisecond precision.
      "hive.timestamp-precision": "MILLISECONDS",
      // Tables are registered over the files Spark wrote (CREATE TABLE ... external_location); Trino never writes them.
      "hive.non-managed-table-creates-enabled": "true",
    },
  };
}

/** Starts a server and waits until it answers `SELECT 1`. */
export async function startTrinoServer(options: TrinoServerOptions): Promise<TrinoServer> {
  const install = options.install ?? requireTrinoInstall();
  const ownWorkDir = options.workDir === undefined;
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), "lakehouse-trino-"));
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const etcDir = writeEtc(workDir, port, options);
  const logPath = join(workDir, "server.log");
  const log = createWriteStream(logPath);

  const started = Date.now();
  const child = spawn(join(install.home, "bin", "launcher"), ["run", `--etc-dir=${etcDir}`, `--data-dir=${join(workDir, "data")}`], {
    cwd: workDir,
    // Only Trino's child gets Java >= 24; the parent keeps its own (Spark needs 17).
    env: { ...process.env, JAVA_HOME: install.javaHome, PATH: `${join(install.javaHome, "bin")}${delimiter}${process.env.PATH ?? ""}` },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so that stop() reaches the JVM and anything the launcher forked.
    detached: true,
  });
  if (child.pid === undefined) {
    const error = await new Promise<Error>((resolve) => child.once("error", resolve));
    log.end();
    if (ownWorkDir) rmSync(workDir, { recursive: true, force: true });
    throw new Error(`could not start ${join(install.home, "bin", "launcher")}: ${error.message}`);
  }
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  let tail = "";
  const keepTail = (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-6000));
  child.stdout!.on("data", keepTail);
  child.stderr!.on("data", keepTail);
  const killOnExit = () => killGroup(child, "SIGKILL");
  process.once("exit", killOnExit);
  const watchdog = startWatchdog(child.pid);

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      process.removeListener("exit", killOnExit);
      await stopGroup(child);
      killWatchdog(watchdog);
      log.end();
      if (ownWorkDir) rmSync(workDir, { recursive: true, force: true });
    })());

  try {
    await waitUntilAnswering(endpoint, child, options.startTimeoutMs ?? 180_000, () => tail);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, pid: child.pid, logPath, startupMs: Date.now() - started, stop };
}

/** Writes `etc/` for a single node that is coordinator and worker, bound to 127.0.0.1; returns its path. */
function writeEtc(workDir: string, port: number, options: TrinoServerOptions): string {
  const etcDir = join(workDir, "etc");
  mkdirSync(join(etcDir, "catalog"), { recursive: true });
  const properties = (entries: Record<string, string>) =>
    Object.entries(entries)
      .map(([key, value]) => `${key}=${value}`)
      .join("\n") + "\n";

  writeFileSync(
    join(etcDir, "node.properties"),
    properties({
      "node.environment": "lakehouse_local",
      "node.id": randomUUID(),
      "node.data-dir": join(workDir, "data"),
      "node.bind-ip": "127.0.0.1",
      "node.internal-address": "127.0.0.1",
    }),
  );
  writeFileSync(
    join(etcDir, "jvm.config"),
    [
      "-server",
      `-Xmx${options.maxHeap ?? "2G"}`,
      "-XX:+UseG1GC",
      "-XX:+ExplicitGCInvokesConcurrent",
      "-XX:+ExitOnOutOfMemoryError",
      "-XX:-OmitStackTraceInFastThrow",
      // A small machine shared with Spark: a small code cache, two GC and compiler threads.
      "-XX:ReservedCodeCacheSize=256M",
      "-XX:ParallelGCThreads=2",
      "-XX:ConcGCThreads=1",
      "-XX:CICompilerCount=2",
      // C1 only: a short-lived server over small data. Measured on 2 cores: start 17 s instead
      // of 26 s, warm sql/ queries 0.5-0.9 s instead of 0.7-1.8 s.
      "-XX:TieredStopAtLevel=1",
      "-XX:PerMethodRecompilationCutoff=10000",
      "-XX:PerBytecodeRecompilationCutoff=10000",
      "-Djdk.attach.allowAttachSelf=true",
      // JOL's agent, JNA's native calls and JOL's sun.misc.Unsafe use, without Java 24+ warnings.
      "-XX:+EnableDynamicAgentLoading",
      "--enable-native-access=ALL-UNNAMED",
      "--sun-misc-unsafe-memory-access=allow",
      "-Djdk.nio.maxCachedBufferSize=2000000",
      "-Dfile.encoding=UTF-8",
      // The lake is UTC; so is every session (see the client).
      "-Duser.timezone=UTC",
      "",
    ].join("\n"),
  );
  writeFileSync(
    join(etcDir, "config.properties"),
    properties({
      coordinator: "true",
      "node-scheduler.include-coordinator": "true",
      "http-server.http.port": String(port),
      "discovery.uri": `http://127.0.0.1:${port}`,
      "query.max-memory": "1GB",
      "query.max-memory-per-node": "1GB",
      "memory.heap-headroom-per-node": "512MB",
      // Two cores: fewer threads than Trino's per-core defaults.
      "task.concurrency": "2",
      "task.max-worker-threads": "4",
      "node-scheduler.max-splits-per-node": "16",
      "query.min-expire-age": "1m",
    }),
  );
  writeFileSync(join(etcDir, "log.properties"), "io.trino=WARN\nio.airlift=WARN\n");
  for (const catalog of options.catalogs) {
    writeFileSync(join(etcDir, "catalog", `${catalog.name}.properties`), properties({ ...catalog.properties }));
  }
  return etcDir;
}

/** Polls until `SELECT 1` answers: the HTTP port opens before the node is ready to schedule a query. */
async function waitUntilAnswering(endpoint: string, child: ChildProcess, timeoutMs: number, tail: () => string): Promise<void> {
  const client = new TrinoClient({ endpoint });
  const deadline = Date.now() + timeoutMs;
  let lastError = "";
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Trino exited (${child.exitCode ?? child.signalCode}) before answering on ${endpoint}:\n${tail()}`);
    }
    try {
      const info = await fetch(`${endpoint}/v1/info`);
      if (info.ok && ((await info.json()) as { starting?: boolean }).starting === false) {
        await client.query("SELECT 1");
        return;
      }
    } catch (error) {
      lastError = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Trino did not answer on ${endpoint} within ${timeoutMs / 1000} s (last error: ${lastError || "none"}):\n${tail()}`);
}

/**
 * A tiny shell loop that kills the server's process group when this Node
 * process dies without stopping it (a crashed or killed test run, where no
 * `exit` handler runs), so no 1-2 GB JVM is left behind.
 */
function startWatchdog(serverGroup: number): ChildProcess {
  const script = `while kill -0 ${process.pid} 2>/dev/null && kill -0 -${serverGroup} 2>/dev/null; do sleep 2; done; kill -KILL -${serverGroup} 2>/dev/null; exit 0`;
  const watchdog = spawn("/bin/sh", ["-c", script], { detached: true, stdio: "ignore" });
  watchdog.unref();
  return watchdog;
}

function killWatchdog(watchdog: ChildProcess): void {
  try {
    if (watchdog.pid !== undefined && watchdog.exitCode === null) process.kill(watchdog.pid, "SIGKILL");
  } catch {
    // already gone
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is gone already
  }
}

/** SIGTERM to the whole process group, SIGKILL after 10 s; resolves once the launcher has exited. */
function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    killGroup(child, "SIGKILL"); // anything left in the group
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => killGroup(child, "SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      killGroup(child, "SIGKILL");
      resolve();
    });
    killGroup(child, "SIGTERM");
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
