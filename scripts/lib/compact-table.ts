import Table from "cli-table3";

/**
 * A terminal table with no colours and no rule between rows: every table the
 * CLI prints is read in CI logs and pasted into issues too.
 */
export function compactTable(head: string[], colAligns?: ("left" | "right" | "center")[]): Table.Table {
  return new Table({
    head,
    style: { head: [], border: [] },
    chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
    ...(colAligns ? { colAligns } : {}),
  });
}
