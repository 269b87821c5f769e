/**
 * EventBridge's own pattern matching, for tests: event-ruler (the Java library
 * EventBridge matches with) run through `event-ruler/MatchEvents.java`, with the
 * jars `scripts/setup-event-ruler.sh` installs (`npm test` runs it first).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

const VERSION = "1.8.1";
const cache = process.env.LAKEHOUSE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "lakehouse");
const jars = join(cache, `event-ruler-${VERSION}`);

/** Which of the named patterns each named event matches (sorted names), as EventBridge would decide. */
export function matchEvents(patterns: Record<string, unknown>, events: Record<string, unknown>): Record<string, string[]> {
  if (!existsSync(join(jars, `event-ruler-${VERSION}.jar`))) {
    throw new Error(`event-ruler ${VERSION} is not installed in ${jars}: run "bash scripts/setup-event-ruler.sh"`);
  }
  const run = spawnSync("java", ["-cp", join(jars, "*"), join(__dirname, "event-ruler", "MatchEvents.java")], {
    input: JSON.stringify({ patterns, events }),
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`event-ruler failed (exit ${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, string[]>;
}
