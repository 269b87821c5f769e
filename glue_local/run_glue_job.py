"""Runs a rendered Glue entry script locally, as Glue would start it.

    python run_glue_job.py [--s3-endpoint URL --region NAME] [--iceberg [--iceberg-catalog FILE]] [--extra-py-files PATH,...] -- SCRIPT [job arguments...]

The script runs as ``__main__`` with ``sys.argv = [SCRIPT, *job arguments]``,
exactly the file Glue runs. What Glue's runtime provides and pip's pyspark
does not is added here, before the script creates its SparkContext:

- ``awsglue`` (the stand-in package beside this file, on PYTHONPATH);
- ``--extra-py-files`` (comma-separated zips, as Glue's job argument): each
  goes on ``sys.path`` before the script runs, so the library is imported
  from ``lakehouse_etl.zip`` through zipimport, as on Glue, and never from a
  stray file beside the script (the script's folder is not added);
- with ``--iceberg`` (``iceberg_local.py``): the runtime Glue ships, and ``glue_catalog``
  on the lake's own catalog (``--iceberg-catalog`` for an ``s3://`` lake);
- with ``--s3-endpoint``: the S3A file system for ``s3://`` URIs on that
  endpoint (``local_s3.py``), with the role's credentials taken from the
  ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``/``AWS_SESSION_TOKEN``
  environment variables, as a Glue job gets its role's credentials.

Spark settings already in ``PYSPARK_SUBMIT_ARGS`` (master, memory) are kept.
"""

from __future__ import annotations

import argparse
import os
import runpy
import shlex
import sys
from typing import List, Optional

import iceberg_local
import local_s3


def add_spark_conf(settings: dict) -> None:
    """Adds ``--conf`` settings to ``PYSPARK_SUBMIT_ARGS`` (before its final ``pyspark-shell``)."""
    args = shlex.split(os.environ.get("PYSPARK_SUBMIT_ARGS", "pyspark-shell"))
    if not args or args[-1] != "pyspark-shell":
        args.append("pyspark-shell")
    extra: List[str] = []
    for key, value in sorted(settings.items()):
        extra += ["--conf", f"{key}={value}"]
    args[-1:-1] = extra
    os.environ["PYSPARK_SUBMIT_ARGS"] = " ".join(shlex.quote(a) for a in args)


def main(argv: Optional[List[str]] = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--" not in argv:
        raise SystemExit("usage: run_glue_job.py [--s3-endpoint URL --region NAME] [--extra-py-files PATH,...] -- SCRIPT [args...]")
    split = argv.index("--")
    parser = argparse.ArgumentParser(prog="run_glue_job.py")
    parser.add_argument("--s3-endpoint", help="S3 API endpoint for s3:// URIs (a loopback moto server)")
    parser.add_argument("--region", default=os.environ.get("AWS_REGION", "us-east-1"))
    parser.add_argument("--extra-py-files", default="", help="comma-separated library zips to put on sys.path (Glue's --extra-py-files)")
    parser.add_argument("--iceberg", action="store_true", help="load Iceberg: for configs with Iceberg tables (iceberg_local.py)")
    parser.add_argument("--iceberg-catalog", help="SQLite file of the Iceberg catalog of an s3:// lake (a folder lake keeps its own)")
    options = parser.parse_args(argv[:split])
    script, *job_args = argv[split + 1 :]

    if options.s3_endpoint:
        missing = [v for v in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY") if not os.environ.get(v)]
        if missing:
            raise SystemExit(f"run_glue_job.py: --s3-endpoint needs the role's credentials in {', '.join(missing)}")
        settings = local_s3.spark_conf(options.s3_endpoint, options.region)
        local_s3.use_aws_endpoint(options.s3_endpoint, options.region)
    else:
        settings = {}
    if options.iceberg:
        catalog = iceberg_local.catalog_settings(iceberg_local.job_lake_root(job_args), options.iceberg_catalog)
        settings = iceberg_local.merge_packages(settings, iceberg_local.spark_conf(), catalog)
    if settings:
        add_spark_conf(settings)

    sys.argv = [script, *job_args]
    sys.path[:0] = [os.path.abspath(path) for path in options.extra_py_files.split(",") if path]
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main()
