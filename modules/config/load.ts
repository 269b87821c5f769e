import { z } from "zod";
import { lakehouseConfigSchema, type LakehouseConfig, type LakehouseConfigInput } from "./schema";

/** Thrown when a config does not validate; the message lists every problem by field path. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid lakehouse config:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/**
 * Validates a config as a user wrote it and fills in the defaults.
 * Fails with a {@link ConfigError} naming each bad field (`datasets[2].partitioning.sourceColumn`)
 * and what is allowed there.
 */
export function resolveConfig(input: LakehouseConfigInput | unknown): LakehouseConfig {
  const result = lakehouseConfigSchema.safeParse(input);
  if (!result.success) throw new ConfigError(result.error.issues.map(describeIssue));
  return result.data;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.reduce<string>(
    (acc, part) => (typeof part === "number" ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)),
    "",
  );
  return `${path || "(root)"}: ${issue.message}`;
}
