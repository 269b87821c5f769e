import type { ColumnConfig, ColumnType } from "./columns";
import type { DatasetConfig } from "./schema";

/** A column of a curated table, as the catalog declares it and Spark writes it. */
export interface CuratedColumn {
  readonly name: string;
  readonly type: ColumnType;
  readonly description?: string;
}

/**
 * The curated (non-partition) columns of a dataset, in the order Spark writes
 * them: the raw columns, then derived columns, then the incremental ordering
 * column when the dataset has a feed. The catalog table, the rendered PySpark
 * constants and the local DuckDB views all call this, so they cannot drift.
 */
export function curatedColumns(dataset: DatasetConfig): CuratedColumn[] {
  const columns: CuratedColumn[] = dataset.columns.map((c: ColumnConfig) => ({ ...c }));
  for (const derived of dataset.derivedColumns) {
    columns.push({ name: derived.name, type: "date", description: `UTC date of ${derived.dateOf}` });
  }
  if (dataset.incremental) {
    columns.push({
      name: dataset.incremental.orderByColumn,
      type: "timestamp",
      description: "When the row was ingested; the latest version of a key wins",
    });
  }
  return columns;
}

/** The partition columns of a curated table: integers named by the partition spec. */
export function partitionColumns(dataset: DatasetConfig): CuratedColumn[] {
  return (dataset.partitioning?.keys ?? []).map((key) => ({
    name: key.name,
    type: "int",
    description: `${key.transform} of ${dataset.partitioning!.sourceColumn} (UTC)`,
  }));
}
