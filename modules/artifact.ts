/**
 * A file built before synth that a construct deploys (a zip), passed in as a
 * prop: constructs never run build tools or read the repository. The app (or
 * `scripts/build/`) builds it; the construct makes it a Terraform asset.
 */
export interface FileArtifact {
  /** Path of the file; copied into the synth output as a Terraform asset. */
  readonly path: string;
  /** Hex sha256 of its bytes: the deployed object's content hash, so a plan shows a change only when the bytes change. */
  readonly sha256: string;
}
