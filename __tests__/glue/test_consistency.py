"""One source of truth: what the config declares is what the rendered scripts contain and Spark writes."""

from __future__ import annotations

import ast
import zipfile
import zipimport
from pathlib import Path
from typing import Dict

import pytest

from conftest import LIBRARY_ZIP, REPO, render_scripts
from lakehelpers import ORDER_HEADER, Lake, find_quarantined

TEMPLATES = REPO / "modules/etl/templates"
MONTHLY = "shop_monthly_channel.config.ts"
ENTRY_SCRIPTS = ("batch_job.py", "incremental_job.py")
LIBRARY = sorted(path.relative_to(TEMPLATES).as_posix() for path in (TEMPLATES / "lakehouse_etl").rglob("*.py"))
"""The package's files as zip entries (``lakehouse_etl/__init__.py``, ...)."""


def generated_block(script: str) -> str:
    return script.split("# --- BEGIN GENERATED CONSTANTS ---\n", 1)[1].split("# --- END GENERATED CONSTANTS ---", 1)[0]


def library_entries(scripts: Path) -> Dict[str, str]:
    """The rendered library zip, entry name -> text, in the zip's order."""
    with zipfile.ZipFile(scripts / LIBRARY_ZIP) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def rendered_source(scripts: Path, name: str) -> str:
    """A rendered entry script, or a library module as the zip holds it."""
    return (scripts / name).read_text() if name in ENTRY_SCRIPTS else library_entries(scripts)[name]


def test_partition_spec_and_columns_flow_into_the_rendered_constants(load_jobs):
    orders = {d["name"]: d for d in load_jobs(MONTHLY).batch.DATASETS}["orders"]
    assert orders["partitioning"] == {"source_column": "order_ts", "keys": [("year", "year"), ("month", "month")], "years": (2020, 2040)}
    assert [f.name for f in orders["schema"].fields] == [
        "order_id", "customer_id", "product_id", "order_ts", "quantity", "unit_price", "revenue", "channel", "order_date", "ingested_at",
    ]


def test_a_different_partition_spec_and_an_extra_column_reach_the_written_data(load_jobs, spark, tmp_path):
    jobs = load_jobs(MONTHLY)
    lake = Lake(tmp_path / "lake")
    lake.seed_dimensions()
    lake.write_csv(
        "orders",
        "orders.csv",
        ORDER_HEADER + ",channel",
        ["o1,c1,p1,2024-03-01T10:00:00Z,2,25.00,50.00,web", "o2,c2,p2,2024-02-11T10:00:00Z,1,12.50,12.50,store", "o3,c1,p1,2024-03-05T10:00:00Z,1,25.00,25.00,fax"],
    )

    jobs.run("batch", spark, lake, "monthly")

    assert lake.partitions("orders") == ["year=2024/month=2", "year=2024/month=3"]
    rows = {r["order_id"]: r for r in lake.curated(spark, "orders")}
    assert {k: rows["o1"][k] for k in ("channel", "year", "month")} == {"channel": "web", "year": 2024, "month": 3}
    assert "day" not in rows["o1"]
    assert find_quarantined(lake.quarantine("orders", "monthly"), "o3")["_reasons"] == ["not_allowed:channel"]


def test_an_incremental_run_follows_the_same_partition_spec(load_jobs, spark, tmp_path):
    jobs = load_jobs(MONTHLY)
    lake = Lake(tmp_path / "lake")
    lake.seed_dimensions()
    jobs.run("batch", spark, lake, "dims")
    lake.write_feed("a.json", ['{"order_id": "o9", "customer_id": "c1", "product_id": "p2", "order_ts": "2024-01-31T23:59:59Z", '
                               '"quantity": 2, "unit_price": 12.5, "revenue": 25.0, "channel": "store", "ingested_at": "2024-03-09T00:00:00Z"}'])

    report = jobs.run("incremental", spark, lake, "inc")

    assert report["datasets"]["orders"]["partitions_written"] == ["year=2024/month=1"]
    assert lake.curated(spark, "orders")[0]["channel"] == "store"


def test_rendering_is_deterministic(rendered, tmp_path):
    again = render_scripts("shop.config.ts", tmp_path / "again")
    first = rendered("shop.config.ts")
    assert sorted(p.name for p in again.iterdir()) == sorted([*ENTRY_SCRIPTS, LIBRARY_ZIP])
    for name in (*ENTRY_SCRIPTS, LIBRARY_ZIP):
        assert (again / name).read_bytes() == (first / name).read_bytes(), name


def test_only_the_generated_block_differs_from_the_template(rendered):
    scripts = rendered("shop.config.ts")
    for name in ENTRY_SCRIPTS:
        template, script = (TEMPLATES / name).read_text(), (scripts / name).read_text()
        assert script.replace(generated_block(script), "") == template.replace(generated_block(template), "")


def test_the_library_zip_holds_exactly_the_package_as_it_is(rendered):
    entries = library_entries(rendered("shop.config.ts"))
    assert list(entries) == LIBRARY  # every module, nothing else (no bytecode, no folders), sorted
    for name, text in entries.items():
        assert text == (TEMPLATES / name).read_text(), name


def test_the_jobs_import_the_library_from_the_zip(shop):
    assert isinstance(shop.etl.__loader__, zipimport.zipimporter)
    assert Path(shop.etl.__file__).parent.parent.name == LIBRARY_ZIP


@pytest.mark.parametrize("name", [*ENTRY_SCRIPTS, *LIBRARY])
def test_awsglue_is_imported_only_under_main(rendered, name):
    tree = ast.parse(rendered_source(rendered("shop.config.ts"), name))
    main_guard = [n for n in tree.body if isinstance(n, ast.If) and "__main__" in ast.unparse(n.test)]
    top_level = [n for n in tree.body if n not in main_guard]
    imported = {
        alias.name if isinstance(node, ast.Import) else node.module
        for stmt in top_level
        for node in ast.walk(stmt)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in (node.names if isinstance(node, ast.Import) else [None])
    }
    assert not any(m and m.startswith("awsglue") for m in imported)


def test_templates_run_as_they_are(tmp_path):
    """The placeholder block keeps each template a valid, importable Python file."""
    for name in (*ENTRY_SCRIPTS, *LIBRARY):
        compile((TEMPLATES / name).read_text(), str(TEMPLATES / name), "exec")
    assert Path(TEMPLATES / "batch_job.py").read_text().count("# --- BEGIN GENERATED CONSTANTS ---") == 1
