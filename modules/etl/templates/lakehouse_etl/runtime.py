"""What a job does before it touches data: session settings, its clock, optional arguments, progress lines.

The same on Glue and on a local pyspark; nothing here knows about datasets or
the lake, so every other module may use it.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Optional, Sequence

from pyspark.sql import SparkSession


def log(message: str) -> None:
    """A progress line on stdout (the local runner streams these; Glue sends them to CloudWatch)."""
    print(f"[lakehouse] {message}", flush=True)


def configure_session(spark: SparkSession) -> None:
    """Session settings the jobs rely on, identical on Glue and locally."""
    # Partition keys and derived dates are UTC; naive ISO timestamps are UTC.
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    # Casts must return NULL (then invalid_type), never fail the job.
    spark.conf.set("spark.sql.ansi.enabled", "false")
    hadoop = spark.sparkContext._jsc.hadoopConfiguration()
    # No _SUCCESS markers inside curated tables.
    hadoop.set("mapreduce.fileoutputcommitter.marksuccessfuljobs", "false")


def parse_now(value: Optional[str]) -> dt.datetime:
    """``--now`` (ISO-8601; UTC when no offset) or the current time, as an aware UTC datetime."""
    if not value:
        return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.timezone.utc)
    return parsed.astimezone(dt.timezone.utc)


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")


def optional_arg(argv: Sequence[str], name: str) -> Optional[str]:
    """Reads ``--name value`` or ``--name=value`` from argv; None when absent.

    For options that may be left out: Glue's ``getResolvedOptions`` makes every
    option it is given required.
    """
    flag = f"--{name}"
    for i, arg in enumerate(argv):
        if arg == flag and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(flag + "="):
            return arg[len(flag) + 1 :]
    return None


def spark_version() -> str:
    """The running pyspark's version (the report records it; ``check_spark_version`` compares it)."""
    import pyspark

    return pyspark.__version__


def check_spark_version(expected: str) -> None:
    actual = spark_version()
    if actual != expected:
        print(
            f"[lakehouse] warning: the config's Glue version runs Spark {expected}, this is pyspark {actual}",
            file=sys.stderr,
            flush=True,
        )
