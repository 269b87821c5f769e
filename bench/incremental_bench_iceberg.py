"""The Iceberg way of bench/incremental_bench.py, how each way's data-file churn is measured, and loading a rendered script."""

from __future__ import annotations

import importlib.util
import shutil
import time
from pathlib import Path

def load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def data_files(table_dir: Path) -> dict:
    """A curated table's data files: path -> size (Iceberg's metadata files excluded)."""
    return {
        str(p): p.stat().st_size
        for p in table_dir.rglob("*.parquet")
        if "metadata" not in p.parts and not any(part.startswith((".", "_")) for part in p.relative_to(table_dir).parts)
    }


def file_churn(before: dict, after: dict) -> dict:
    """Data files a run removed and added, and the bytes it wrote."""
    added = set(after) - set(before)
    return {"files_removed": len(set(before) - set(after)), "files_added": len(added), "bytes_written": sum(after[p] for p in added)}


class IcebergWay:
    """The orders table as Iceberg: written by the Iceberg batch job from the base lake's raw files, reset by rollback."""

    DATABASE = "bench"

    def __init__(self, spark, scripts: Path, lake: Path, base: Path, etl, now: str):
        import iceberg_local

        self.spark, self.lake, self.etl, self.iceberg_local = spark, lake, etl, iceberg_local
        self.batch = load(scripts / "batch_job.py", "bench_iceberg_batch_job")
        self.incremental = load(scripts / "incremental_job.py", "bench_iceberg_incremental_job")
        shutil.copytree(base / "raw", lake / "raw")
        self.use()
        t = time.perf_counter()
        self.batch.run(spark, str(lake), "bench-iceberg-batch", "bench-iceberg-batch", now, self.DATABASE)
        self.batch_seconds = time.perf_counter() - t
        catalog = etl.IcebergCatalog(iceberg_local.CATALOG, self.DATABASE)
        self.dataset = next(d for d in etl.load_datasets(self.batch.DATASETS, catalog) if d.name == "orders")
        self.snapshot = etl.iceberg.current_snapshot_id(spark, self.dataset)

    def use(self) -> None:
        self.iceberg_local.use_lake_catalog(self.spark, str(self.lake))

    def run(self, run_incremental, upsert, churn: dict):
        """One timed run; its data-file churn is the committed snapshot's (a rewritten file stays on disk for time travel)."""
        self.use()
        orders = run_incremental("iceberg", upsert, self.lake, self.incremental, self.DATABASE)
        summary = self.etl.iceberg.snapshot_summary(self.spark, self.dataset, self.etl.iceberg.current_snapshot_id(self.spark, self.dataset))
        churn["iceberg"] = {
            "files_removed": int(summary.get("deleted-data-files", 0)),
            "files_added": int(summary.get("added-data-files", 0)),
            "bytes_written": int(summary.get("added-files-size", 0)),
        }
        return orders

    def reset(self) -> None:
        """Back to the batch's snapshot, with the delta file unprocessed again."""
        self.use()
        self.spark.sql(f"CALL {self.iceberg_local.CATALOG}.system.rollback_to_snapshot('{self.DATABASE}.orders', {self.snapshot})")
        for manifest in (self.lake / "_system/manifests/orders").glob("*.json"):
            manifest.unlink()

    def table(self):
        self.use()
        return self.spark.table(self.dataset.iceberg_table).select(*[f.name for f in self.dataset.table_schema().fields])
