"""The rendered entry scripts run as Glue runs them: a process with Glue's arguments, through the awsglue shim."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import FIXTURES, LIBRARY_ZIP, REPO
from lakehelpers import NOW, ORDER_HEADER, Lake, assert_accounted, order_json, order_line

sys.path.insert(0, str(REPO / "glue_local"))
from awsglue.context import GlueContext  # noqa: E402
from awsglue.job import Job  # noqa: E402
from awsglue.utils import GlueArgumentError, getResolvedOptions  # noqa: E402


def test_local_runner_runs_the_batch_script_end_to_end(tmp_path):
    lake = Lake(tmp_path / "lake")
    lake.seed_dimensions()
    lake.write_csv("orders", "orders.csv", ORDER_HEADER, [order_line("o1", "2024-03-01T10:00:00Z"), "broken"])
    lake.write_feed("a.json", [order_json("o2", "2024-03-02T10:00:00Z", "2024-03-09T00:00:00Z")])

    result = subprocess.run(
        ["npx", "--no-install", "tsx", str(FIXTURES / "run-local-job.ts"), str(FIXTURES / "shop.config.ts"), "batch", str(lake.root), "e2e-1", NOW],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stderr[-3000:]
    run = json.loads(result.stdout)
    assert run["exitCode"] == 0, run["errorTail"]
    assert run["runId"] == "e2e-1"
    assert run["report"] == lake.report("batch", "e2e-1")
    assert_accounted(run["report"])
    assert run["report"]["datasets"]["orders"]["rows_quarantined"] == 1
    assert run["report"]["job_name"] == "gluetest-local-batch"
    assert lake.partitions("orders") == ["year=2024/month=3/day=1"]
    assert run["scriptPath"] == str(lake.root / "_system/scripts/batch_job.py")
    assert sorted(p.name for p in (lake.root / "_system/scripts").iterdir()) == ["batch_job.py", "incremental_job.py", LIBRARY_ZIP]
    assert any("orders: 1 files, 2 rows read" in line for line in run["lines"])
    log = (lake.root / "_system/logs/e2e-1.log").read_text()
    assert "report written to quality_reports/batch/e2e-1.json" in log


def test_entry_script_fails_fast_without_the_lake_root(rendered):
    scripts = rendered("shop.config.ts")
    result = subprocess.run(
        [sys.executable, str(scripts / "incremental_job.py"), "--JOB_NAME", "x", "--JOB_RUN_ID", "r1"],
        env={"PYTHONPATH": f"{REPO / 'glue_local'}:{scripts / LIBRARY_ZIP}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "--lake_root" in result.stderr


def test_resolved_options_require_every_listed_option():
    with pytest.raises(GlueArgumentError, match="lake_root"):
        getResolvedOptions(["job.py", "--JOB_NAME", "j"], ["JOB_NAME", "lake_root"])


def test_resolved_options_pass_glue_run_ids_and_ignore_unlisted_options():
    args = getResolvedOptions(
        ["job.py", "--JOB_NAME", "j", "--JOB_RUN_ID", "jr_1", "--lake_root", "s3://b", "--now", "2024-01-01T00:00:00Z"],
        ["JOB_NAME", "lake_root"],
    )
    assert (args["JOB_NAME"], args["JOB_RUN_ID"], args["lake_root"]) == ("j", "jr_1", "s3://b")
    assert "now" not in args


def test_resolved_options_refuse_reserved_names_like_glue():
    with pytest.raises(RuntimeError, match="JOB_RUN_ID"):
        getResolvedOptions(["job.py", "--JOB_RUN_ID", "jr_1"], ["JOB_RUN_ID"])


def test_shim_job_commits_only_after_init(spark):
    job = Job(GlueContext(spark.sparkContext))
    with pytest.raises(RuntimeError):
        job.commit()
    job.init("name", {"JOB_NAME": "name"})
    job.commit()
    assert job.committed and job.isInitialized()


def test_shim_context_exposes_the_spark_session(spark):
    assert GlueContext(spark.sparkContext).spark_session.sparkContext is spark.sparkContext
