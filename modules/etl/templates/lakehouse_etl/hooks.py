"""Fault-injection points of the merge: where a test makes a job die, to prove that a rerun completes it.

``merge.upsert`` and ``iceberg.merge`` call them through this module (``hooks.after_write(...)``),
not as names imported into its own, so a test that replaces one here
(``monkeypatch.setattr(etl.hooks, "after_write", crash)``) reaches the merge.
They do nothing unless a test replaces them.
"""

from __future__ import annotations

from typing import Sequence

from .model import Dataset


def after_write(dataset: Dataset, partitions: Sequence[str]) -> None:
    """Runs once the merged files of ``partitions`` are written, before any of their old files is removed."""
    return None


def after_partition(dataset: Dataset, partition: str) -> None:
    """Runs after the old files of one touched partition are removed."""
    return None


def after_commit(dataset: Dataset) -> None:
    """Runs once an Iceberg MERGE has committed, before the run's report and manifests are written."""
    return None
