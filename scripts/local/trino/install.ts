/**
 * Where `scripts/setup-trino.sh` installs Trino, and which Java runs it.
 *
 * The server lives in a cache outside the repository:
 * `$LAKEHOUSE_CACHE/trino-476`, `LAKEHOUSE_CACHE` defaulting to
 * `${XDG_CACHE_HOME:-$HOME/.cache}/lakehouse`. Trino 476 needs Java 24+, while
 * the default `java` stays 17 for Spark: `TRINO_JAVA_HOME` when set, otherwise
 * the newest Java >= 24 among the system's JVMs (`/usr/lib/jvm/<name>/`).
 * The shell script and this module apply the same rules.
 *
 * ```ts
 * const { home, javaHome } = requireTrinoInstall(); // throws with the setup command when something is missing
 * ```
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** The Trino server version the project installs and tests against. */
export const TRINO_VERSION = 476;
/** The oldest Java major version Trino {@link TRINO_VERSION} runs on. */
export const TRINO_MIN_JAVA = 24;
/** The command that installs what {@link requireTrinoInstall} looks for. */
export const TRINO_SETUP_COMMAND = "bash scripts/setup-trino.sh";
/** Folder holding one folder per installed JVM. */
const SYSTEM_JVM_DIR = "/usr/lib/jvm";
/** Written by the setup script as its last step: its presence means the install is complete. */
const INSTALLED_MARKER = ".lakehouse-installed";

/** A usable Trino install. */
export interface TrinoInstall {
  /** The unpacked server (`bin/launcher`, `lib/`, `plugin/`). */
  readonly home: string;
  /** A Java home whose `bin/java` is at least {@link TRINO_MIN_JAVA}. */
  readonly javaHome: string;
  /** That Java's major version. */
  readonly javaMajor: number;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The cache folder of local tools: `$LAKEHOUSE_CACHE`, else `${XDG_CACHE_HOME:-$HOME/.cache}/lakehouse`. */
export function lakehouseCacheDir(env: Env = process.env): string {
  if (env.LAKEHOUSE_CACHE) return env.LAKEHOUSE_CACHE;
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), ".cache"), "lakehouse");
}

/** Where the setup script puts Trino {@link TRINO_VERSION}. */
export function trinoHomeDir(env: Env = process.env): string {
  return join(lakehouseCacheDir(env), `trino-${TRINO_VERSION}`);
}

/** The major version `<javaHome>/bin/java -version` reports (`"17.0.15"` is 17, `"25"` is 25), or `undefined`. */
export function javaMajorVersion(javaHome: string): number | undefined {
  const java = join(javaHome, "bin", "java");
  if (!existsSync(java)) return undefined;
  const run = spawnSync(java, ["-version"], { encoding: "utf8", timeout: 20_000 });
  const match = /version "(\d+)(?:[.+"-])/.exec(`${run.stderr ?? ""}${run.stdout ?? ""}`);
  return match ? Number(match[1]) : undefined;
}

/**
 * The Java home to run Trino with: `TRINO_JAVA_HOME` (which must then be new
 * enough), else the newest JVM under `/usr/lib/jvm` at {@link TRINO_MIN_JAVA}
 * or above. Throws, saying what to install, when there is none.
 */
export function findTrinoJava(env: Env = process.env, jvmDir = SYSTEM_JVM_DIR): { javaHome: string; javaMajor: number } {
  if (env.TRINO_JAVA_HOME) {
    const major = javaMajorVersion(env.TRINO_JAVA_HOME);
    if (major === undefined || major < TRINO_MIN_JAVA) {
      throw new Error(
        `TRINO_JAVA_HOME=${env.TRINO_JAVA_HOME} is not a Java ${TRINO_MIN_JAVA}+ (found ${major ?? "no runnable bin/java"}); ` +
          `Trino ${TRINO_VERSION} needs Java ${TRINO_MIN_JAVA} or newer.`,
      );
    }
    return { javaHome: env.TRINO_JAVA_HOME, javaMajor: major };
  }
  const candidates = existsSync(jvmDir) ? readdirSync(jvmDir).sort() : [];
  let best: { javaHome: string; javaMajor: number } | undefined;
  for (const name of candidates) {
    const javaHome = join(jvmDir, name);
    const major = javaMajorVersion(javaHome);
    if (major !== undefined && major >= TRINO_MIN_JAVA && major > (best?.javaMajor ?? 0)) best = { javaHome, javaMajor: major };
  }
  if (!best) {
    throw new Error(
      `Trino ${TRINO_VERSION} needs Java ${TRINO_MIN_JAVA} or newer and none was found under ${jvmDir}: ` +
        `install a JDK ${TRINO_MIN_JAVA}+ (for example Temurin 25) into ${jvmDir}/<name>/ or set TRINO_JAVA_HOME to one. ` +
        `Keep the default java at 17 (local Spark needs it).`,
    );
  }
  return best;
}

/**
 * The installed Trino and the Java to run it, or an error that names the
 * setup command ({@link TRINO_SETUP_COMMAND}) or the missing Java.
 */
export function requireTrinoInstall(env: Env = process.env): TrinoInstall {
  const home = trinoHomeDir(env);
  if (!existsSync(join(home, INSTALLED_MARKER)) || !existsSync(join(home, "bin", "launcher"))) {
    throw new Error(`Trino ${TRINO_VERSION} is not installed in ${home}: run \`${TRINO_SETUP_COMMAND}\` (about 821 MB from Maven, once).`);
  }
  return { home, ...findTrinoJava(env) };
}
