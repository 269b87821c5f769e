"""Runs rendered Glue entry scripts one after another in ONE Python process with ONE SparkSession.

    python job_server.py [--s3-endpoint URL --region NAME] [--iceberg]

A local run starts several jobs (a batch job, then an incremental job after
each generator tick). Starting a JVM per job costs seconds each; this server
starts Spark once and runs every job's entry script in it, as ``__main__``,
exactly the file Glue runs (its ``SparkContext.getOrCreate()`` and
``GlueContext`` find the session that is already there).

Protocol: one JSON request per line on stdin,
``{"script": PATH, "args": [...], "extra_py_files": [PATH, ...], "credentials": {"access_key_id", "secret_access_key", "session_token"} | null,
"iceberg_catalog_file": PATH | null}``.
``extra_py_files`` (Glue's ``--extra-py-files``: the library zip) go on
``sys.path`` for the job, so it imports the library from the zip through
zipimport, as on Glue; the script's own folder is not added.
The job's own output goes to stdout and stderr as it would from a process of
its own; when it ends, the line ``@@lakehouse-job-end {"exit_code": 0}`` (1
when it raised) goes to both, each on a line of its own, so the caller has
read everything the job wrote on either stream when it has seen both markers.
Spark starts when the server does, before the first request. With
``--s3-endpoint``, ``s3://`` goes through S3A (``local_s3.py``) and each job
runs with the credentials its request names, its role's (a request without
credentials keeps the last ones). What a job leaves in the Python process
(imported modules, session settings it made) stays for the next, as in any
long-lived Spark application, except the Iceberg catalog: with ``--iceberg`` each job gets
``glue_catalog`` afresh, pointed at its lake's catalog (``iceberg_local.py``;
``iceberg_catalog_file`` for an ``s3://`` lake). EOF on stdin ends the server.
"""

from __future__ import annotations

import argparse
import json
import os
import runpy
import sys
import traceback
from typing import Any, Dict, List, Optional

import iceberg_local
import local_s3

END_MARKER = "@@lakehouse-job-end"


def start_session(s3_endpoint: Optional[str], region: str, iceberg: bool = False):
    from pyspark.sql import SparkSession

    builder = SparkSession.builder
    if s3_endpoint:
        local_s3.use_aws_endpoint(s3_endpoint, region)
    s3 = local_s3.spark_conf(s3_endpoint, region) if s3_endpoint else {}
    settings = iceberg_local.merge_packages(s3, iceberg_local.spark_conf()) if iceberg else s3
    for key, value in settings.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def run_job(spark, request: Dict[str, Any], iceberg: bool = False) -> int:
    script: str = request["script"]
    args: List[str] = list(request.get("args", []))
    extra_py_files: List[str] = [os.path.abspath(path) for path in request.get("extra_py_files", [])]
    credentials = request.get("credentials")
    if credentials:
        local_s3.use_credentials(
            spark,
            local_s3.Credentials(credentials["access_key_id"], credentials["secret_access_key"], credentials.get("session_token")),
        )
    sys.argv = [script, *args]
    sys.path[:0] = extra_py_files
    try:
        if iceberg:
            iceberg_local.use_lake_catalog(spark, iceberg_local.job_lake_root(args), request.get("iceberg_catalog_file"))
        runpy.run_path(script, run_name="__main__")
        return 0
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:  # a failed job is reported; the server goes on with the next
        traceback.print_exc()
        return 1
    finally:
        for path in extra_py_files:
            sys.path.remove(path)
        sys.stdout.flush()
        sys.stderr.flush()


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(prog="job_server.py")
    parser.add_argument("--s3-endpoint", help="S3 API endpoint for s3:// URIs (a loopback moto server)")
    parser.add_argument("--region", default=os.environ.get("AWS_REGION", "us-east-1"))
    parser.add_argument("--iceberg", action="store_true", help="load Iceberg: for configs with Iceberg tables (iceberg_local.py)")
    options = parser.parse_args(argv)
    spark = start_session(options.s3_endpoint, options.region, options.iceberg)
    for line in sys.stdin:
        if not line.strip():
            continue
        exit_code = run_job(spark, json.loads(line), options.iceberg)
        marker = f"\n{END_MARKER} {json.dumps({'exit_code': exit_code})}\n"
        sys.stderr.write(marker)
        sys.stderr.flush()
        sys.stdout.write(marker)
        sys.stdout.flush()
    spark.stop()


if __name__ == "__main__":
    main()
