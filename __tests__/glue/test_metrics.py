"""The run's metrics (``lakehouse_etl/metrics.py``): which values a report becomes, and a publisher that never fails a run.

The names come from the rendered ``METRICS`` (``modules/config/metrics.ts``);
the S3-under-IAM suite publishes them to the moto server under the jobs' roles.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List

AT = dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.timezone.utc)


def dataset_counts(rows_read: int, rows_quarantined: int, files: int = 1) -> Dict[str, Any]:
    return {
        "rows_read": rows_read,
        "rows_written": rows_read - rows_quarantined,
        "rows_quarantined": rows_quarantined,
        "duplicates_dropped": 0,
        "files_processed": files,
    }


def report(**datasets: Dict[str, Any]) -> Dict[str, Any]:
    return {
        "job_name": "shoplake-dev-incremental",
        "started_at": "2026-12-05T11:58:00Z",
        "finished_at": "2026-12-05T11:59:30.5Z",
        "datasets": datasets,
    }


def values(data: List[Dict[str, Any]]) -> Dict[tuple, float]:
    return {(d["MetricName"], d["Dimensions"][0]["Value"]): d["Value"] for d in data}


class Recorder:
    """A CloudWatch client that records its requests, or fails after ``fail_after`` of them."""

    def __init__(self, fail_after: int | None = None):
        self.requests: List[Dict[str, Any]] = []
        self.fail_after = fail_after

    def put_metric_data(self, **request: Any) -> None:
        if self.fail_after is not None and len(self.requests) >= self.fail_after:
            raise RuntimeError("AccessDenied: not authorized to perform cloudwatch:PutMetricData\nsecond line")
        self.requests.append(request)


def test_a_run_publishes_each_dataset_count_equal_to_its_report_and_the_jobs_own(shop):
    data = values(shop.etl.metric_data(shop.incremental.METRICS, report(orders=dataset_counts(40, 4, files=2)), AT))
    assert data == {
        ("RunsSucceeded", "shoplake-dev-incremental"): 1,
        ("RunSeconds", "shoplake-dev-incremental"): 90.5,
        ("WorstQuarantinedPercent", "shoplake-dev-incremental"): 10.0,
        ("RowsRead", "orders"): 40,
        ("RowsWritten", "orders"): 36,
        ("RowsQuarantined", "orders"): 4,
        ("DuplicatesDropped", "orders"): 0,
        ("FilesProcessed", "orders"): 2,
        ("QuarantinedPercent", "orders"): 10.0,
    }


def test_every_value_carries_its_unit_and_the_time_it_was_published(shop):
    data = shop.etl.metric_data(shop.incremental.METRICS, report(orders=dataset_counts(40, 4)), AT)
    units = {d["MetricName"]: d["Unit"] for d in data}
    assert units["RunSeconds"] == "Seconds" and units["QuarantinedPercent"] == "Percent" and units["RowsRead"] == "Count"
    assert {d["Timestamp"] for d in data} == {AT}


def test_a_dataset_without_new_rows_publishes_its_zeros_but_no_quarantined_share(shop):
    data = values(shop.etl.metric_data(shop.incremental.METRICS, report(orders=dataset_counts(0, 0, files=0)), AT))
    assert data[("FilesProcessed", "orders")] == 0, "the freshness alarm sums FilesProcessed: a run with nothing new says so"
    assert ("QuarantinedPercent", "orders") not in data
    assert ("WorstQuarantinedPercent", "shoplake-dev-incremental") not in data


def test_the_worst_share_is_the_largest_among_the_datasets_that_read_rows(shop):
    run = report(customers=dataset_counts(10, 1), products=dataset_counts(4, 2), orders=dataset_counts(0, 0, files=0))
    data = values(shop.etl.metric_data(shop.batch.METRICS, run, AT))
    assert data[("WorstQuarantinedPercent", "shoplake-dev-incremental")] == 50.0


def test_without_a_namespace_nothing_is_published(shop):
    def no_client():
        raise AssertionError("no client may be made")

    status = shop.etl.publish_metrics(shop.batch.METRICS, None, report(orders=dataset_counts(1, 0)), no_client)
    assert status == {"namespace": None, "published": 0, "error": None}


def test_a_publishing_failure_is_recorded_in_one_line_and_never_raised(shop):
    status = shop.etl.publish_metrics(shop.batch.METRICS, "Lakehouse/shoplake-dev", report(orders=dataset_counts(1, 0)), lambda: Recorder(fail_after=0))
    assert status == {
        "namespace": "Lakehouse/shoplake-dev",
        "published": 0,
        "error": "RuntimeError: AccessDenied: not authorized to perform cloudwatch:PutMetricData",
    }


def test_more_values_than_one_request_takes_go_in_several_requests(shop):
    recorder = Recorder()
    run = report(**{f"catalog_{i:03d}": dataset_counts(10, 0) for i in range(200)})
    status = shop.etl.publish_metrics(shop.batch.METRICS, "Lakehouse/shoplake-dev", run, lambda: recorder)
    sizes = [len(r["MetricData"]) for r in recorder.requests]
    assert sizes == [1000, 203] and status["published"] == 1203 and status["error"] is None
    assert {r["Namespace"] for r in recorder.requests} == {"Lakehouse/shoplake-dev"}


def test_values_published_before_a_failure_are_counted(shop):
    run = report(**{f"catalog_{i:03d}": dataset_counts(10, 0) for i in range(200)})
    status = shop.etl.publish_metrics(shop.batch.METRICS, "Lakehouse/shoplake-dev", run, lambda: Recorder(fail_after=1))
    assert status["published"] == 1000 and status["error"].startswith("RuntimeError: AccessDenied")


def test_a_refusal_by_cloudwatch_is_recorded_as_its_code_and_message(shop):
    from botocore.exceptions import ClientError

    class Refusing:
        def put_metric_data(self, **request: Any) -> None:
            raise ClientError(
                {"Error": {"Code": "AccessDeniedException", "Message": "not authorized to perform: cloudwatch:PutMetricData"}, "ResponseMetadata": {"HTTPStatusCode": 400}},
                "PutMetricData",
            )

    status = shop.etl.publish_metrics(shop.batch.METRICS, "Lakehouse/shoplake-dev", report(orders=dataset_counts(1, 0)), Refusing)
    assert status["error"] == "AccessDeniedException: not authorized to perform: cloudwatch:PutMetricData"
