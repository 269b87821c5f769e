"""The incremental job's state: the feed files earlier runs processed, one manifest per run under ``_system/manifests/``.

Kept in the lake, not in Glue job bookmarks, so the same state works on Glue
and locally, and a run's files count as processed only once its manifest is written.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Dict, List, Sequence

from .lake_io import Lake, LakeFile
from .model import Dataset
from .runtime import iso


def processed_files(lake: Lake, dataset: Dataset) -> Dict[str, Dict[str, Any]]:
    """Files of the dataset's feed that earlier runs committed, by lake-relative path."""
    seen: Dict[str, Dict[str, Any]] = {}
    for manifest in lake.list_files(lake.manifest_dir(dataset.name), recursive=False, suffixes=(".json",)):
        document = json.loads(lake.read_bytes(manifest.rel).decode("utf-8"))
        for entry in document.get("files", []):
            seen[entry["path"]] = entry
    return seen


def new_feed_files(lake: Lake, dataset: Dataset) -> List[LakeFile]:
    """Files under ``raw/<feed folder>/`` (recursively, ``.json``/``.jsonl``) not yet in the manifest."""
    assert dataset.incremental is not None
    done = processed_files(lake, dataset)
    listed = lake.list_files(lake.raw_dir(dataset.incremental.raw_folder), recursive=True, suffixes=(".json", ".jsonl"))
    return [f for f in listed if f.rel not in done]


def commit_manifest(lake: Lake, dataset: Dataset, run_id: str, files: Sequence[LakeFile], now: dt.datetime) -> str:
    """Records the files a run processed: one JSON file per run under ``_system/manifests/<dataset>/``.

    Written last, after curated, quarantine and the report: a run that dies
    before it leaves its files unrecorded and the next run processes them again
    (upserts are idempotent), so every change to curated has a report.
    """
    rel = f"{lake.manifest_dir(dataset.name)}{run_id}.json"
    lake.write_json(
        rel,
        {
            "dataset": dataset.name,
            "run_id": run_id,
            "committed_at": iso(now),
            "files": [{"path": f.rel, "size": f.size, "modified_ms": f.modified_ms} for f in files],
        },
    )
    return rel
