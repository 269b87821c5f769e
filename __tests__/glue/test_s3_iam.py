"""The rendered jobs on ``s3://`` under their own synthesized IAM roles, with IAM enforced.

Each job runs on local Spark through S3A against a moto server that checks
signatures and IAM. The job's credentials are those of its role, created
with exactly the trust and inline policy that ``cdk.tf.json`` holds for it
(references resolved to moto's account), so a missing grant fails here as it
would on the first deploy. The same history also runs on a lake folder: both
must count the same.

The history: a batch run, three incremental ticks with dirty rows, a rerun
with nothing new, then a tick whose run is killed after it wrote its new files
and a rerun that completes it.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
import re
import sys
from typing import Any, Dict, List, Tuple

import pytest
from botocore.exceptions import ClientError

from awslake import Account, S3Lake, client
from conftest import FIXTURES, REPO
from lakehelpers import Lake, assert_accounted, by_id, order_json
from s3history import T, counts, play_history
from local_s3 import use_credentials

sys.path.insert(0, str(REPO / "scripts/local/aws"))
from moto_iam_server import list_prefix_allowed  # noqa: E402  (the server's own check: one owner of the rule)

CONFIG = "shop.config.ts"
BATCH, INCREMENTAL = "gluetest-dev-batch", "gluetest-dev-incremental"
GENERATOR = "gluetest-dev-order-generator"
@pytest.fixture(scope="module")
def account(moto) -> Account:
    return Account.provision(moto, FIXTURES / CONFIG)


@pytest.fixture(scope="module")
def monkeymodule():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.fixture(scope="module")
def s3_history(shop, spark, account, monkeymodule):
    lake = S3Lake(account)
    jobs = {"batch": BATCH, "incremental": INCREMENTAL}
    started = dt.datetime.now(dt.timezone.utc)
    reports = play_history(shop, spark, lake, lambda job: use_credentials(spark, account.credentials(jobs[job])), monkeymodule)
    use_credentials(spark, account.operator)
    # The metrics the history published: read before any later test runs a job.
    lake.published = published_metrics(account, started, dt.datetime.now(dt.timezone.utc))
    return lake, reports


def published_metrics(account: Account, start: dt.datetime, end: dt.datetime) -> Dict[Tuple[str, Tuple[Tuple[str, str], ...]], float]:
    """Every metric in the jobs' namespace, by (name, dimensions), with the sum of its values published in [start, end]."""
    cloudwatch = client("cloudwatch", account.moto.endpoint, account.operator)
    namespace = account.metrics_namespace
    sums = {}
    for metric in cloudwatch.list_metrics(Namespace=namespace)["Metrics"]:
        points = cloudwatch.get_metric_statistics(
            Namespace=namespace,
            MetricName=metric["MetricName"],
            Dimensions=metric["Dimensions"],
            StartTime=start - dt.timedelta(minutes=1),
            EndTime=end + dt.timedelta(minutes=1),
            Period=60,
            Statistics=["Sum"],
        )["Datapoints"]
        key = (metric["MetricName"], tuple(sorted((d["Name"], d["Value"]) for d in metric["Dimensions"])))
        sums[key] = sum(p["Sum"] for p in points)
    return sums


@pytest.fixture(scope="module")
def folder_history(shop, spark, tmp_path_factory, monkeymodule):
    lake = Lake(tmp_path_factory.mktemp("folder-history") / "lake")
    return lake, play_history(shop, spark, lake, lambda job: None, monkeymodule)


def curated_rows(spark, root: str, table: str) -> List[Dict[str, Any]]:
    base = f"{root}/curated/{table}"
    return sorted((r.asDict() for r in spark.read.option("basePath", base).parquet(base).collect()), key=lambda r: str(next(iter(r.values()))))


# --------------------------------------------------------------------------- the jobs work under their roles


def test_every_run_succeeds_under_its_role_and_its_report_balances(s3_history):
    _, reports = s3_history
    assert list(reports) == ["batch-1", "tick-1", "tick-2", "tick-3", "rerun", "after-crash"]
    for report in reports.values():
        assert_accounted(report)


def test_runs_on_s3_count_exactly_as_the_same_runs_on_a_folder(s3_history, folder_history):
    _, on_s3 = s3_history
    _, on_folder = folder_history
    assert {run: counts(r) for run, r in on_s3.items()} == {run: counts(r) for run, r in on_folder.items()}


def test_dirty_rows_are_quarantined_on_s3_with_their_reasons(s3_history):
    lake, reports = s3_history
    reasons = {row["order_id"]: row["_reasons"] for row in lake.quarantine("orders", "tick-1")}
    assert reasons == {"o-unknown": ["unknown_customer_id"], "o-negative": ["not_positive:quantity", "not_positive:revenue"]}
    assert reports["tick-2"]["datasets"]["orders"]["quarantined_by_reason"] == {"future_timestamp:order_ts": 1, "malformed_record": 1}


def test_curated_on_s3_equals_curated_on_a_folder(s3_history, folder_history, spark):
    s3_lake, _ = s3_history
    folder_lake, _ = folder_history
    for table in ("orders", "dim_customers", "dim_products"):
        assert curated_rows(spark, s3_lake.root, table) == curated_rows(spark, str(folder_lake.root), table)


def test_the_latest_version_of_each_order_wins_on_s3(s3_history, spark):
    lake, _ = s3_history
    orders = by_id(curated_rows(spark, lake.root, "orders"))
    assert sorted(orders) == ["o1", "o10", "o11", "o12", "o13", "o2", "o3"]
    assert (orders["o10"]["quantity"], orders["o11"]["quantity"], orders["o1"]["quantity"]) == (4, 2, 3)


def test_a_rerun_with_nothing_new_changes_nothing_on_s3(s3_history):
    _, reports = s3_history
    rerun = reports["rerun"]
    assert rerun["totals"]["files_processed"] == 0 and rerun["totals"]["rows_read"] == 0
    assert rerun["_curated_unchanged"]  # the same objects with the same bytes


def test_a_run_killed_after_writing_is_completed_by_the_rerun_on_s3(s3_history):
    lake, reports = s3_history
    assert not lake.exists("quality_reports/incremental/crashed.json")
    assert not lake.exists("_system/manifests/orders/crashed.json")
    assert reports["after-crash"]["datasets"]["orders"]["rows_written"] == 2
    assert lake.exists("_system/manifests/orders/after-crash.json")


def test_no_staging_object_is_left_in_the_lake(s3_history):
    lake, _ = s3_history
    leftovers = [k for k in lake.keys() if "/_temporary" in k or k.rsplit("/", 1)[-1].startswith(".")]
    assert leftovers == []


# --------------------------------------------------------------------------- the runs' metrics


def test_every_run_publishes_its_counts_under_its_role_equal_to_its_quality_report(s3_history):
    lake, reports = s3_history
    completed = [r for r in reports.values() if r["metrics"]["namespace"]]
    assert [r["metrics"] for r in completed if r["metrics"]["error"] or not r["metrics"]["published"]] == []
    assert len(completed) == len(reports)
    for metric, field in [("RowsRead", "rows_read"), ("RowsWritten", "rows_written"), ("RowsQuarantined", "rows_quarantined"), ("DuplicatesDropped", "duplicates_dropped"), ("FilesProcessed", "files_processed")]:
        datasets = {name for r in reports.values() for name in r["datasets"]}
        for dataset in datasets:
            expected = sum(r["datasets"][dataset][field] for r in reports.values() if dataset in r["datasets"])
            assert lake.published[(metric, (("Dataset", dataset),))] == expected, (metric, dataset)
    runs = {job: sum(1 for r in reports.values() if r["job_name"] == job) for job in (BATCH, INCREMENTAL)}
    assert {job: lake.published[("RunsSucceeded", (("JobName", job),))] for job in runs} == runs


def test_each_run_publishes_the_worst_quarantined_share_among_its_datasets(s3_history):
    lake, reports = s3_history
    for job in (BATCH, INCREMENTAL):
        worst = [
            max(100 * d["rows_quarantined"] / d["rows_read"] for d in r["datasets"].values() if d["rows_read"])
            for r in reports.values()
            if r["job_name"] == job and any(d["rows_read"] for d in r["datasets"].values())
        ]
        assert worst and lake.published[("WorstQuarantinedPercent", (("JobName", job),))] == pytest.approx(sum(worst), abs=1e-3)


def test_a_dataset_publishes_its_quarantined_share_only_for_runs_that_read_rows_of_it(s3_history):
    lake, reports = s3_history
    shares = [100 * d["rows_quarantined"] / d["rows_read"] for r in reports.values() for name, d in r["datasets"].items() if name == "orders" and d["rows_read"]]
    assert lake.published[("QuarantinedPercent", (("Dataset", "orders"),))] == pytest.approx(sum(shares), abs=1e-3)
    assert any(r["datasets"]["orders"]["rows_read"] == 0 for r in reports.values()), "the history has a run with nothing new"


def test_every_alarm_on_the_pipelines_namespace_watches_a_metric_the_jobs_published(s3_history, account):
    lake, _ = s3_history
    ours = [a for a in account.alarms() if a["namespace"] == account.metrics_namespace]
    # The freshness alarm of the orders feed and each job's quality alarm: both kinds are there to be checked.
    assert sorted(a["alarmName"] for a in ours) == sorted([f"{BATCH}-quality", f"{INCREMENTAL}-quality", "gluetest-dev-freshness-orders"])
    for alarm in ours:
        key = (alarm["metricName"], tuple(sorted(alarm["dimensions"].items())))
        assert key in lake.published, f"{alarm['alarmName']} watches {key}, which no run published"


def test_a_job_may_publish_metrics_only_to_its_own_environments_namespace(account):
    cloudwatch = client("cloudwatch", account.moto.endpoint, account.credentials(INCREMENTAL))
    datum = [{"MetricName": "RowsRead", "Dimensions": [{"Name": "Dataset", "Value": "orders"}], "Value": 0, "Unit": "Count"}]
    cloudwatch.put_metric_data(Namespace=account.metrics_namespace, MetricData=datum)
    with pytest.raises(ClientError, match="AccessDenied"):
        cloudwatch.put_metric_data(Namespace="Lakehouse/gluetest-prod", MetricData=datum)


def test_a_run_that_cannot_publish_its_metrics_succeeds_and_its_report_says_why(shop, spark, account, s3_history):
    lake, _ = s3_history
    with account.without_statement(INCREMENTAL, "PublishJobMetrics"):
        use_credentials(spark, account.credentials(INCREMENTAL))
        try:
            report = shop.run("incremental", spark, lake, "no-metrics")
        finally:
            use_credentials(spark, account.operator)
    assert report["status"] == "succeeded" and lake.exists("quality_reports/incremental/no-metrics.json")
    assert report["metrics"]["namespace"] == account.metrics_namespace and report["metrics"]["published"] == 0
    # AWS answers AccessDeniedException with a message; moto a bare 403
    assert re.match(r"(AccessDenied\w*: .+|HTTP 403 \(access denied: the role may not publish to this namespace\))$", report["metrics"]["error"])


# --------------------------------------------------------------------------- enforcement is live


@pytest.fixture(scope="module")
def denied_run(shop, spark, account, s3_history, moto):
    """An incremental run whose role lacks WriteOwnReports, then a rerun with the policy restored.

    It runs after the history and adds one order (o14); the tests above read the history's
    reports, not curated as it is after this.
    """
    lake, _ = s3_history
    lake.write_feed("2024/03/10/tick-5.json", [order_json("o14", "2024-03-09T10:00:00Z", T[4])])
    before = len(moto.decisions())
    with account.without_statement(INCREMENTAL, "WriteOwnReports"):
        use_credentials(spark, account.credentials(INCREMENTAL))
        try:
            with pytest.raises(Exception, match="AccessDenied|403|Forbidden") as failure:
                shop.incremental.run(spark, lake.root, "denied", "test-incremental")
        finally:
            use_credentials(spark, account.operator)
    denials = [d for d in moto.decisions()[before:] if not d["allowed"]]
    use_credentials(spark, account.credentials(INCREMENTAL))
    try:
        rerun = shop.run("incremental", spark, lake, "denied-rerun")
    finally:
        use_credentials(spark, account.operator)
    return lake, failure.value, denials, rerun


def test_a_job_without_one_needed_statement_is_denied_that_action(denied_run, account):
    _, _, denials, _ = denied_run
    assert denials and denials[0]["action"] == "s3:PutObject"
    assert denials[0]["resource"].startswith(f"arn:aws:s3:::{account.bucket}/quality_reports/incremental/")


def test_a_run_denied_its_report_commits_no_manifest_and_the_rerun_completes_it(denied_run):
    lake, _, _, rerun = denied_run
    assert not lake.exists("_system/manifests/orders/denied.json")
    assert [f["path"] for f in rerun["datasets"]["orders"]["files"]] == ["raw/orders_incremental/2024/03/10/tick-5.json"]
    assert lake.exists("quality_reports/incremental/denied-rerun.json") and lake.exists("_system/manifests/orders/denied-rerun.json")


def test_a_job_cannot_delete_committed_quarantine_files(account, s3_history):
    lake, _ = s3_history
    [committed] = [k for k in lake.keys("quarantine/orders/run_id=tick-1/") if k.endswith(".json")]
    with pytest.raises(ClientError, match="AccessDenied"):
        account.s3(INCREMENTAL).delete_object(Bucket=account.bucket, Key=committed)
    assert lake.exists(committed)


@pytest.mark.parametrize(
    "role, key",
    [
        (BATCH, "raw/orders_incremental/forged.json"),
        (INCREMENTAL, "raw/orders/forged.csv"),
        (INCREMENTAL, "curated/dim_customers/forged.parquet"),
        (GENERATOR, "raw/orders/forged.csv"),
        (GENERATOR, "curated/orders/forged.parquet"),
    ],
)
def test_a_write_outside_the_roles_prefixes_is_denied(account, role, key):
    with pytest.raises(ClientError, match="AccessDenied"):
        account.s3(role).put_object(Bucket=account.bucket, Key=key, Body=b"x")


@pytest.mark.parametrize(
    "role, key",
    [
        (INCREMENTAL, "quality_reports/batch/batch-1.json"),
        (BATCH, "quality_reports/incremental/tick-1.json"),
        (INCREMENTAL, "_system/tmp/batch/scratch"),
        (BATCH, "_system/manifests/orders/tick-1.json"),
    ],
)
def test_a_job_cannot_read_another_jobs_reports_or_scratch(account, s3_history, role, key):
    lake, _ = s3_history
    lake.write(key, b"{}") if not lake.exists(key) else None
    with pytest.raises(ClientError, match="AccessDenied|403"):
        account.s3(role).get_object(Bucket=account.bucket, Key=key)


# --------------------------------------------------------------------------- ListBucket and its s3:prefix conditions


def list_statements(policy: Dict[str, Any]) -> Dict[str, List[str]]:
    """The role's ListBucket grants: statement id -> the prefixes its ``s3:prefix`` condition allows."""
    return {
        s["Sid"]: s["Condition"]["StringLike"]["s3:prefix"]
        for s in policy["document"]["Statement"]
        if s["Effect"] == "Allow" and "s3:ListBucket" in s["Action"]
    }


def listed_prefixes(moto, account, role: str, allowed: bool = True) -> List[str]:
    """The ``prefix`` of every list request a role made that was allowed (or refused), from the server's audit log."""
    key = account.credentials(role).access_key_id
    return sorted(
        {d["prefix"] or "" for d in moto.decisions() if d["access_key"] == key and d["action"] == "s3:ListBucket" and d["allowed"] == allowed}
    )


GLUE_OWN_LISTINGS = {
    BATCH: {"ReadScriptsList": "Glue itself reads the script", "ReadScratchList": "Glue's --TempDir; the batch job keeps no state"},
    INCREMENTAL: {"ReadScriptsList": "Glue itself reads the script"},  # its scratch grant also covers its manifests
}
"""ListBucket grants a job's own code does not use locally: Glue's service uses them."""


@pytest.mark.parametrize("role", [BATCH, INCREMENTAL])
def test_every_list_grant_of_a_job_is_used_by_a_listing_the_job_makes(s3_history, moto, account, role):
    # The server enforces the conditions, so every listing that succeeded was allowed; this is the
    # other direction: no grant is there that the job never needs.
    prefixes = listed_prefixes(moto, account, role)
    assert prefixes, "the job listed nothing: the audit log is not recording"
    unused = [
        sid
        for sid, patterns in list_statements(account.policy(role)).items()
        if not any(fnmatch.fnmatchcase(p, pattern) for p in prefixes for pattern in patterns)
    ]
    assert sorted(unused) == sorted(GLUE_OWN_LISTINGS[role]), unused


@pytest.mark.parametrize(
    "prefix, allowed",
    [("raw/orders/", True), ("raw/orders/2024/x.csv", True), ("raw/orders", False), ("raw/", False), ("", False), ("raw/orders_incremental/", False), ("raw/orders[", False)],
)
def test_the_servers_list_check_applies_the_s3_prefix_condition_as_iam_does(prefix, allowed):
    policy = json.dumps({"Statement": [{"Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": ["arn:aws:s3:::b"], "Condition": {"StringLike": {"s3:prefix": ["raw/orders/", "raw/orders/*"]}}}]})
    assert list_prefix_allowed([policy], "arn:aws:s3:::b", prefix) is allowed


@pytest.mark.parametrize("role", [BATCH, INCREMENTAL])
def test_the_only_listings_refused_are_the_zone_roots_s3a_probes_before_creating_a_folder(s3_history, moto, account, role):
    # Before it creates a folder, S3A looks for the nearest existing parent and skips that check
    # when the answer is AccessDenied. A job may never list a zone's root: this is that probe.
    refused = listed_prefixes(moto, account, role, allowed=False)
    assert set(refused) <= {"curated/", "quarantine/"}, refused


@pytest.mark.parametrize("role", [BATCH, INCREMENTAL])
def test_list_conditions_refuse_the_bucket_root_and_other_jobs_prefixes(account, role):
    policy = json.dumps(account.policy(role)["document"])
    other = "incremental" if role == BATCH else "batch"
    for prefix in ["", "raw/", "curated/", f"quality_reports/{other}/", f"_system/tmp/{other}/", "_system/"]:
        assert not list_prefix_allowed([policy], f"arn:aws:s3:::{account.bucket}", prefix), (role, prefix)

