"""The quality report: what a run did to each dataset, and the JSON it leaves in ``quality_reports/`` (format in docs/etl.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from .lake_io import Lake
from .merge import UpsertResult
from .model import Dataset
from .readers import FileProblem
from .runtime import iso, spark_version


@dataclass
class DatasetResult:
    """What one job run did to one dataset; ``as_report`` is its part of the quality report."""

    dataset: Dataset
    files: List[FileProblem]
    file_rows: Dict[str, Tuple[int, int]] = field(default_factory=dict)
    rows_read: int = 0
    rows_quarantined: int = 0
    duplicates_in_input: int = 0
    quarantined_by_reason: Dict[str, int] = field(default_factory=dict)
    quarantine_path: Optional[str] = None
    upsert: UpsertResult = field(default_factory=UpsertResult)

    @property
    def duplicates_dropped(self) -> int:
        return self.duplicates_in_input + self.upsert.superseded

    def as_report(self) -> Dict[str, Any]:
        return {
            "table": self.dataset.table,
            "files_processed": len(self.files),
            "files": [
                {
                    "path": f.path,
                    "rows_read": self.file_rows.get(f.path, (0, 0))[0],
                    "rows_quarantined": self.file_rows.get(f.path, (0, 0))[1],
                    "problems": f.problems,
                }
                for f in self.files
            ],
            "rows_read": self.rows_read,
            "rows_written": self.upsert.rows_written,
            "rows_quarantined": self.rows_quarantined,
            "duplicates_dropped": self.duplicates_dropped,
            "duplicates_in_input": self.duplicates_in_input,
            "superseded_by_curated": self.upsert.superseded,
            "quarantined_by_reason": dict(sorted(self.quarantined_by_reason.items())),
            "quarantine_path": self.quarantine_path,
            "partitions_written": self.upsert.partitions_written,
            "partitions_in_table": self.upsert.partitions_in_table,
            "files_written": self.upsert.files_written,
            "files_removed": self.upsert.files_removed,
        }


def describe(result: DatasetResult) -> str:
    r = result.as_report()
    return (
        f"{result.dataset.name}: {r['files_processed']} files, {r['rows_read']} rows read, "
        f"{r['rows_written']} written, {r['rows_quarantined']} quarantined, "
        f"{r['duplicates_dropped']} duplicates dropped, {len(r['partitions_written'])} partitions rewritten"
    )


def build_report(
    job: str,
    job_name: str,
    run_id: str,
    now: dt.datetime,
    started_at: dt.datetime,
    results: Sequence[DatasetResult],
) -> Dict[str, Any]:
    """The quality report of one run (see docs/etl.md for the format)."""
    datasets = {r.dataset.name: r.as_report() for r in results}
    totals: Dict[str, Any] = {
        key: sum(d[key] for d in datasets.values())
        for key in ("rows_read", "rows_written", "rows_quarantined", "duplicates_dropped", "files_processed")
    }
    totals["partitions_written"] = sum(len(d["partitions_written"]) for d in datasets.values())
    by_reason: Dict[str, int] = {}
    for d in datasets.values():
        for reason, count in d["quarantined_by_reason"].items():
            by_reason[reason] = by_reason.get(reason, 0) + count
    totals["quarantined_by_reason"] = dict(sorted(by_reason.items()))
    return {
        "report_version": 1,
        "job": job,
        "job_name": job_name,
        "run_id": run_id,
        "status": "succeeded",
        "now": iso(now),
        "started_at": iso(started_at),
        "finished_at": iso(dt.datetime.now(dt.timezone.utc)),
        "spark_version": spark_version(),
        "datasets": datasets,
        "totals": totals,
    }


def write_report(lake: Lake, job: str, run_id: str, report: Mapping[str, Any]) -> str:
    """Writes the report to ``quality_reports/<job>/<run_id>.json``, after all data (the incremental job then commits its manifests)."""
    rel = lake.report_path(job, run_id)
    lake.write_json(rel, report)
    return rel
