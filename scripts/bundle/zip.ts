/**
 * Deterministic zips for the deployable artifacts (the Lambda bundle, the Glue
 * job library): entries sorted by name, a fixed DOS timestamp (1980-01-01, no
 * extended-timestamp field), fixed mode 0644, stored uncompressed. The same
 * entries give the same bytes on any machine, checkout path, time zone or Node
 * version, so asset hashes change only when the contents do.
 */
/** 1980-01-01 00:00 in the local time zone: yazl writes DOS local time, so this is the same DOS value everywhere. */
const ZIP_MTIME = () => new Date(1980, 0, 1, 0, 0, 0);
/** Regular file, rw-r--r--; part of the bundle cache key. */
export const ZIP_MODE = 0o100644;

/** A zip whose bytes depend only on the entries' names and contents. */
export async function deterministicZip(entries: ReadonlyArray<{ name: string; data: Buffer }>): Promise<Buffer> {
  const { ZipFile } = await import("yazl");
  const zip = new ZipFile();
  for (const entry of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    zip.addBuffer(entry.data, entry.name, { mtime: ZIP_MTIME(), mode: ZIP_MODE, compress: false, forceDosTimestamp: true });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}
