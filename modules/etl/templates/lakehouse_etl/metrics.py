"""The run's counts as CloudWatch metrics, published once the data is written.

Names, units, dimensions and the namespace argument come from the rendered
``METRICS`` constant (``modules/config/metrics.ts`` owns them); the alarms and
the dashboard read the same names. A run whose publishing fails has already
written its data, so it logs the error, records it in its quality report
(``metrics``) and succeeds: the data is right, only the metrics miss a point.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any, Callable, Dict, List, Mapping, Optional

from .runtime import log

# PutMetricData takes at most 1000 values per request (and 1 MB): one request per run for up to about 160 datasets.
MAX_VALUES_PER_REQUEST = 1000


def metric_data(metrics: Mapping[str, Any], report: Mapping[str, Any], at: dt.datetime) -> List[Dict[str, Any]]:
    """The values one run publishes: the job's, then each dataset's, in report order."""
    dims = metrics["dimensions"]
    job_dims = [{"Name": dims["job"], "Value": report["job_name"]}]
    started = dt.datetime.fromisoformat(report["started_at"].replace("Z", "+00:00"))
    finished = dt.datetime.fromisoformat(report["finished_at"].replace("Z", "+00:00"))
    shares = [s for s in (_dataset_value("quarantined_percent", c) for c in report["datasets"].values()) if s is not None]
    job_values = {
        "runs_succeeded": 1,
        "run_seconds": round((finished - started).total_seconds(), 3),
        "worst_quarantined_percent": max(shares) if shares else None,
    }
    data = [_datum(m, job_dims, job_values[key], at) for key, m in metrics["job"].items() if job_values[key] is not None]
    for dataset, counts in report["datasets"].items():
        dataset_dims = [{"Name": dims["dataset"], "Value": dataset}]
        for m in metrics["dataset"].values():
            value = _dataset_value(m["from"], counts)
            if value is not None:
                data.append(_datum(m, dataset_dims, value, at))
    return data


def _dataset_value(source: str, counts: Mapping[str, Any]) -> Optional[float]:
    if source != "quarantined_percent":
        return counts[source]
    # A share of nothing is no datum: a feed without new rows says nothing about its quality.
    if not counts["rows_read"]:
        return None
    return round(100.0 * counts["rows_quarantined"] / counts["rows_read"], 4)


def _datum(metric: Mapping[str, str], dimensions: List[Dict[str, str]], value: float, at: dt.datetime) -> Dict[str, Any]:
    return {"MetricName": metric["name"], "Dimensions": dimensions, "Value": value, "Unit": metric["unit"], "Timestamp": at}


def _describe(error: Exception) -> str:
    """One line: the service's error code and message when it gave them (botocore's ClientError), else the exception."""
    response = getattr(error, "response", None)
    if isinstance(response, dict):
        details = response.get("Error") or {}
        status = (response.get("ResponseMetadata") or {}).get("HTTPStatusCode")
        code = str(details.get("Code") or "")
        # An answer botocore could not parse leaves the status as the code and the body's first line as the message.
        message = "" if str(details.get("Message", "")).startswith("<") else str(details.get("Message", ""))
        if not code or code.isdigit():
            code = f"HTTP {status or code}"
        hint = " (access denied: the role may not publish to this namespace)" if status == 403 and not message else ""
        return f"{code}: {message}".rstrip(": ") + hint
    return f"{type(error).__name__}: {error}".splitlines()[0]


def cloudwatch_client():
    """CloudWatch as the job's role sees it: Glue's region and credentials, or the ``AWS_*`` variables of a local run."""
    import boto3

    # A session of its own: boto3's default session keeps the first credentials it found,
    # and a long-lived process (the local job server) runs each job as another role.
    session = boto3.session.Session()
    return session.client("cloudwatch", region_name=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION"))


def publish_metrics(
    metrics: Mapping[str, Any],
    namespace: Optional[str],
    report: Mapping[str, Any],
    client_factory: Callable[[], Any] = cloudwatch_client,
) -> Dict[str, Any]:
    """Publishes the run's metrics; returns the report's ``metrics`` part. Never raises.

    Without a namespace (a local run on a folder) nothing is published. The
    values are stamped with the wall clock, not the run's ``--now``: CloudWatch
    refuses values older than two weeks.
    """
    if not namespace:
        return {"namespace": None, "published": 0, "error": None}
    data = metric_data(metrics, report, dt.datetime.now(dt.timezone.utc))
    published = 0
    try:
        client = client_factory()
        for start in range(0, len(data), MAX_VALUES_PER_REQUEST):
            chunk = data[start : start + MAX_VALUES_PER_REQUEST]
            client.put_metric_data(Namespace=namespace, MetricData=chunk)
            published += len(chunk)
    except Exception as error:  # the data is written: a missing metric must not fail the run
        message = _describe(error)
        log(f"warning: published {published} of {len(data)} metrics to {namespace}, then: {message}")
        return {"namespace": namespace, "published": published, "error": message}
    log(f"published {published} metrics to {namespace}")
    return {"namespace": namespace, "published": published, "error": None}
