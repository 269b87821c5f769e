import type { QueryResult } from "./lake-query";
import { compactTable } from "../lib/compact-table";

export type OutputFormat = "table" | "json" | "csv";

/** Renders a query result as a terminal table, JSON rows or CSV. */
export function formatResult(result: QueryResult, format: OutputFormat = "table", maxRows = Infinity): string {
  if (format === "json") return JSON.stringify(result.rows, null, 2);
  if (format === "csv") {
    const cell = (value: unknown) => {
      const text = value === null || value === undefined ? "" : String(value);
      return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    };
    return [result.columns.join(","), ...result.rows.map((row) => result.columns.map((c) => cell(row[c])).join(","))].join("\n");
  }
  const table = compactTable(result.columns);
  const shown = result.rows.slice(0, maxRows);
  for (const row of shown) table.push(result.columns.map((c) => (row[c] === null || row[c] === undefined ? "" : String(row[c]))));
  const more = result.rows.length > shown.length ? `\n… ${result.rows.length - shown.length} more rows (${result.rows.length} in all)` : "";
  return `${table.toString()}${more}`;
}
