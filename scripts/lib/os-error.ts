/**
 * Node's file-system errors as a person reads them. Node says
 * `ENOENT: no such file or directory, open 'sql/nope.sql'`; the CLI says
 * `cannot open sql/nope.sql: no such file or directory (ENOENT)`.
 */

/** An error from a Node system call: it carries the errno code, the call and usually the path. */
interface SystemCallError extends Error {
  readonly code: string;
  readonly syscall: string;
  readonly path?: string;
}

export function isSystemCallError(error: unknown): error is SystemCallError {
  return error instanceof Error && typeof (error as Partial<SystemCallError>).code === "string" && typeof (error as Partial<SystemCallError>).syscall === "string";
}

/** `no such file or directory (ENOENT)`; other errors' messages as they are. */
export function osReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const match = /^([A-Z0-9_]+): ([^,]+)/.exec(message);
  return match ? `${match[2]} (${match[1]})` : message;
}

/** `cannot open sql/nope.sql: no such file or directory (ENOENT)` for a system call's error, else `undefined`. */
export function describeSystemCallError(error: unknown): string | undefined {
  if (!isSystemCallError(error)) return undefined;
  const call = error.syscall.replace(/^(scandir|opendir)$/, "list").replace(/^lstat$/, "stat");
  return `cannot ${call} ${error.path ?? "a file"}: ${osReason(error)}`;
}
